"""Sections other domains add to the idea page, so ideas/ never imports them.

A section is a template rendered on the idea page with the context its loader returns:
comments add the discussion, portfolio the projects, moderation the report button.

A section that is the same for every viewer alike in a few ways (the discussion: whether they
may write, as whom, whether they moderate, whether they wrote in it) names those ways with
`vary(idea, viewer, state)`; it is then loaded and rendered once and kept for everyone alike
(app.core.pagecache.kept_fragment), and read again only after the next write.
"""

from collections.abc import Callable, Hashable
from dataclasses import dataclass, field

from jinja2 import pass_context
from markupsafe import Markup

from app.core.pagecache import kept_fragment


@dataclass(frozen=True)
class IdeaSection:
    name: str
    template: str
    # loader(idea, viewer) -> dict of template context; runs a fixed number of queries.
    loader: Callable
    order: int = 100
    # vary(idea, viewer, state) -> what of the viewer the section shows; None: never kept.
    vary: Callable[..., Hashable] | None = None


@dataclass
class PageSection:
    """A section of one idea page, loaded when it is rendered (or not at all when it was kept)."""

    section: IdeaSection
    idea: object
    viewer: object
    state: dict = field(default_factory=dict)
    # The pages' generation taken before the idea and the viewer's state were read
    # (pagecache.generation_now): what is kept is never newer in its key than in its content.
    since: tuple | None = None

    @property
    def keepable(self) -> bool:
        return self.section.vary is not None

    def seen_as(self) -> Hashable:
        """What of the viewer the section shows (its key when kept)."""
        return self.section.vary(self.idea, self.viewer, self.state)


IDEA_SECTIONS: list[IdeaSection] = []

# The viewer's own state that other domains read on the idea page (e.g. "following"), as SQL
# expressions the idea's own statement selects: expression(idea_id_column, user_id) -> boolean.
# One statement for the viewer's state, however many domains add to it (app/ideas/page.py).
VIEWER_STATES: dict[str, Callable] = {}


def register_viewer_state(name: str, expression: Callable) -> None:
    VIEWER_STATES[name] = expression


def register_idea_section(name: str, template: str, loader: Callable, order: int = 100, *,
                          vary: Callable[..., Hashable] | None = None) -> None:
    if all(section.name != name for section in IDEA_SECTIONS):
        IDEA_SECTIONS.append(IdeaSection(name, template, loader, order, vary))
        IDEA_SECTIONS.sort(key=lambda s: s.order)


def sections_for(idea, viewer, state: dict | None = None, since: tuple | None = None) -> list[PageSection]:
    """The idea page's sections, in order, to render with render_section; `state` is the
    viewer's own state the idea's statement read (app/ideas/page.py), `since` the generation
    taken before it."""
    return [PageSection(section, idea, viewer, state or {}, since) for section in IDEA_SECTIONS]


@pass_context
def render_section(context, part: PageSection) -> Markup:
    """A section inside the idea page's own template context: loaded (its loader's context as
    top-level names, with idea and viewer) and rendered, or taken as it was kept.

    The page's context (from the context processors: the menu counts, the unread notices …)
    is built once; rendering each section with render_template ran those processors, and
    their queries, once per section.
    """
    section, idea, viewer = part.section, part.idea, part.viewer

    def render() -> str:
        names = context.get_all()
        names.update(idea=idea, viewer=viewer, **section.loader(idea, viewer))
        return context.environment.get_template(section.template).render(names)

    if section.vary is None:
        return Markup(render())
    return kept_fragment(f"idea_section:{section.name}", part.seen_as, render, since=part.since)
