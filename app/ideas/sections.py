"""Sections other domains add to the idea page, so ideas/ never imports them.

A section is a template rendered on the idea page with the context its loader returns:
comments add the discussion, portfolio the projects, moderation the report button.
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class IdeaSection:
    name: str
    template: str
    # loader(idea, viewer) -> dict of template context; runs a fixed number of queries.
    loader: Callable
    order: int = 100


IDEA_SECTIONS: list[IdeaSection] = []


def register_idea_section(name: str, template: str, loader: Callable, order: int = 100) -> None:
    if all(section.name != name for section in IDEA_SECTIONS):
        IDEA_SECTIONS.append(IdeaSection(name, template, loader, order))
        IDEA_SECTIONS.sort(key=lambda s: s.order)


def sections_for(idea, viewer) -> list[tuple[str, dict]]:
    return [(section.template, section.loader(idea, viewer)) for section in IDEA_SECTIONS]
