"""Sections other domains add to the idea page, so ideas/ never imports them.

A section is a template rendered on the idea page with the context its loader returns:
comments add the discussion, portfolio the projects, moderation the report button.
"""

from collections.abc import Callable
from dataclasses import dataclass

from jinja2 import pass_context
from markupsafe import Markup


@dataclass(frozen=True)
class IdeaSection:
    name: str
    template: str
    # loader(idea, viewer) -> dict of template context; runs a fixed number of queries.
    loader: Callable
    order: int = 100


IDEA_SECTIONS: list[IdeaSection] = []

# The viewer's own state that other domains read on the idea page (e.g. "following"), as SQL
# expressions the idea's own statement selects: expression(idea_id_column, user_id) -> boolean.
# One statement for the viewer's state, however many domains add to it (app/ideas/page.py).
VIEWER_STATES: dict[str, Callable] = {}


def register_viewer_state(name: str, expression: Callable) -> None:
    VIEWER_STATES[name] = expression


def register_idea_section(name: str, template: str, loader: Callable, order: int = 100) -> None:
    if all(section.name != name for section in IDEA_SECTIONS):
        IDEA_SECTIONS.append(IdeaSection(name, template, loader, order))
        IDEA_SECTIONS.sort(key=lambda s: s.order)


def sections_for(idea, viewer) -> list[tuple[str, dict]]:
    return [(section.template, section.loader(idea, viewer)) for section in IDEA_SECTIONS]


@pass_context
def render_section(context, template: str, section_context: dict) -> Markup:
    """A section inside the idea page's own template context.

    The page's context (from the context processors: the menu counts, the unread notices …)
    is built once; rendering each section with render_template ran those processors, and
    their queries, once per section.
    """
    names = context.get_all()
    names.update(section_context)
    return Markup(context.environment.get_template(template).render(names))
