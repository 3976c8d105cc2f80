"""Atom feeds (feedgen): new ideas with the idea list's filters, one idea's timeline, a
project's updates, and the municipality's answers.

Every feed is what a visitor sees, whoever asks (hidden ideas and internal projects never),
so one cached copy serves everyone. Links are absolute on SITE_URL; at most FEED_LIMIT entries.
"""

import re
from dataclasses import replace
from datetime import datetime

from feedgen.feed import FeedGenerator
from flask import current_app
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from app.core.db import as_utc, utcnow
from app.core.i18n import current_locale
from app.core.text import excerpt
from app.core.urls import external_url
from app.extensions import db
from app.ideas.labels import STATUS_LABELS
from app.ideas.models import Idea, StatusChange, Visibility
from app.ideas.queries import IdeaFilters, list_ideas
from app.initiatives.models import PUBLIC_STATUSES, Initiative
from app.portfolio import queries as portfolio_queries
from app.portfolio.models import PHASE_LABELS, Project, ProjectPhaseChange, ProjectUpdate

FEED_LIMIT = 50
EXCERPT = 500
# What XML 1.0 cannot carry. A person may type a control character (the database takes it);
# in the feed it would stop lxml, so it is dropped there.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _xml_text(value: str | None) -> str:
    return _NOT_XML.sub("", str(value or ""))


class Entry:
    """One feed entry before it becomes Atom: its own id and link, times and text."""

    def __init__(self, id: str, title: str, link: str, updated: datetime, content: str,
                 published: datetime | None = None, author: str | None = None):
        self.id, self.link = id, link
        self.title, self.content = _xml_text(title), _xml_text(content)
        self.updated = as_utc(updated)
        self.published = as_utc(published) if published else None
        self.author = _xml_text(author) if author else None


def _atom(feed_id: str, title: str, self_link: str, alternate: str, subtitle: str,
          entries: list[Entry]) -> tuple[bytes, datetime]:
    """(the Atom document, its newest time); entries newest first, FEED_LIMIT at most."""
    entries = sorted(entries, key=lambda e: e.updated, reverse=True)[:FEED_LIMIT]
    updated = entries[0].updated if entries else as_utc(utcnow().replace(microsecond=0))
    fg = FeedGenerator()
    fg.id(feed_id)
    fg.title(_xml_text(title))
    fg.subtitle(subtitle)
    fg.author({"name": current_app.config["MUNICIPALITY_NAME"]})
    fg.link(href=alternate, rel="alternate", type="text/html")
    fg.link(href=self_link, rel="self", type="application/atom+xml")
    fg.language(current_locale())
    fg.generator("Medvirk")
    fg.updated(updated)
    # feedgen prepends each new entry: add the oldest first, so the document is newest first.
    for item in reversed(entries):
        fe = fg.add_entry()
        fe.id(item.id)
        fe.title(item.title)
        fe.link(href=item.link, rel="alternate", type="text/html")
        fe.updated(item.updated)
        if item.published:
            fe.published(item.published)
        if item.author:
            fe.author({"name": item.author})
        fe.content(item.content, type="text")
    return fg.atom_str(pretty=True), updated


def _idea_url(idea_id: int, anchor: str | None = None) -> str:
    return external_url("ideas.detail", idea_id=idea_id, _anchor=anchor)


def _idea_entry(idea: Idea) -> Entry:
    # An idea posted for an organisation is signed by the organisation; a person is not
    # syndicated by name into other people's feed readers.
    return Entry(
        id=_idea_url(idea.id), title=idea.title, link=_idea_url(idea.id),
        updated=idea.edited_at or idea.created_at, published=idea.created_at,
        content=excerpt(idea.body, EXCERPT),
        author=idea.organisation.name if idea.organisation_id and idea.organisation else None,
    )


def feed_filters(args) -> IdeaFilters:
    """The idea list's filters from the URL, newest first; nothing personal (no viewer)."""
    return replace(IdeaFilters.from_args(args), mine=False, voted=False, sort="newest")


def ideas_feed(filters: IdeaFilters) -> tuple[bytes, datetime]:
    """The newest visible ideas matching the idea list's filters (its own query code)."""
    ideas = list_ideas(filters, None, 1, FEED_LIMIT).items
    args = filters.to_args(sort="")
    return _atom(
        feed_id=external_url("opendata.ideas_feed", **args),
        title=_("Nye idéer – %(name)s", name=current_app.config["MUNICIPALITY_NAME"]),
        self_link=external_url("opendata.ideas_feed", **args),
        alternate=external_url("ideas.index", **args),
        subtitle=_("De nyeste idéene fra innbyggerne"),
        entries=[_idea_entry(idea) for idea in ideas],
    )


def _status_entry(change: StatusChange, idea: Idea) -> Entry:
    label = str(STATUS_LABELS[change.to_status])
    return Entry(
        id=f"{_idea_url(idea.id)}#status-{change.id}",
        title=_("%(title)s: %(status)s", title=idea.title, status=label),
        link=_idea_url(idea.id),
        updated=change.created_at,
        content=change.explanation or _("Status endret til %(status)s.", status=label),
    )


def _update_entry(update: ProjectUpdate) -> Entry:
    project_url = external_url("portfolio.project", project_id=update.project_id)
    return Entry(
        id=f"{project_url}#update-{update.id}",
        title=_("Oppdatering: %(title)s", title=update.project.title),
        link=project_url, updated=update.created_at, content=update.text,
    )


def _phase_entry(change: ProjectPhaseChange) -> Entry:
    project_url = external_url("portfolio.project", project_id=change.project_id)
    phase = str(PHASE_LABELS[change.to_phase])
    return Entry(
        id=f"{project_url}#phase-{change.id}",
        title=_("%(title)s: %(phase)s", title=change.project.title, phase=phase),
        link=project_url, updated=change.created_at,
        content=change.explanation or _("Fasen er endret til %(phase)s.", phase=phase),
    )


def _news_entries(news) -> list[Entry]:
    return [_update_entry(item) if kind == "update" else _phase_entry(item) for _at, kind, item in news]


def idea_feed(idea: Idea) -> tuple[bytes, datetime]:
    """A visible idea's timeline: posted, its status changes and answers, and the updates and
    phase changes of the public projects it is part of (the idea page's own queries)."""
    links = portfolio_queries.projects_of_idea(idea.id, None)
    news = portfolio_queries.project_news([link.project_id for link in links], limit=FEED_LIMIT)
    entries = [_idea_entry(idea)]
    entries += [_status_entry(change, idea) for change in idea.status_changes]
    entries += _news_entries(news)
    return _atom(
        feed_id=external_url("opendata.idea_feed", idea_id=idea.id),
        title=_("Idé: %(title)s", title=idea.title),
        self_link=external_url("opendata.idea_feed", idea_id=idea.id),
        alternate=_idea_url(idea.id),
        subtitle=_("Svar, statusendringer og prosjektoppdateringer for idéen"),
        entries=entries,
    )


def project_feed(project: Project) -> tuple[bytes, datetime]:
    """A public project's updates and phase changes (the idea page's project news query)."""
    news = portfolio_queries.project_news([project.id], limit=FEED_LIMIT)
    return _atom(
        feed_id=external_url("opendata.project_feed", project_id=project.id),
        title=_("Prosjekt: %(title)s", title=project.title),
        self_link=external_url("opendata.project_feed", project_id=project.id),
        alternate=external_url("portfolio.project", project_id=project.id),
        subtitle=_("Oppdateringer og faseendringer i prosjektet"),
        entries=_news_entries(news),
    )


def answers_feed() -> tuple[bytes, datetime]:
    """The municipality's public answers: staff status changes on visible ideas, newest first
    (the moves a project's phase makes are in the project's and the idea's feeds)."""
    changes = db.session.scalars(
        select(StatusChange).join(Idea, Idea.id == StatusChange.idea_id)
        .where(Idea.visibility == Visibility.VISIBLE, StatusChange.by_project.is_(False))
        .options(joinedload(StatusChange.idea))
        .order_by(StatusChange.created_at.desc(), StatusChange.id.desc())
        .limit(FEED_LIMIT)
    )
    return _atom(
        feed_id=external_url("opendata.answers_feed"),
        title=_("Kommunens svar – %(name)s", name=current_app.config["MUNICIPALITY_NAME"]),
        self_link=external_url("opendata.answers_feed"),
        alternate=external_url("ideas.index"),
        subtitle=_("Kommunens offentlige svar på idéene"),
        entries=[_status_entry(change, change.idea) for change in changes],
    )


def _initiative_entries(initiative: Initiative) -> list[Entry]:
    """An initiative's public moments: collection started, submitted, the council's answer, measures."""
    url = external_url("initiatives.detail", initiative_id=initiative.id)
    entries = []
    if initiative.collection_started_at:
        entries.append(Entry(
            id=f"{url}#collecting", link=url, updated=initiative.collection_started_at,
            title=_("Nytt innbyggerforslag: %(title)s", title=initiative.title),
            content=excerpt(initiative.proposal, EXCERPT), author=initiative.proposer.display_name))
    if initiative.submitted_at:
        entries.append(Entry(
            id=f"{url}#submitted", link=url, updated=initiative.submitted_at,
            title=_("Sendt til kommunestyret: %(title)s", title=initiative.title),
            content=ngettext("%(num)d underskrift.", "%(num)d underskrifter.",
                             initiative.submitted_signatures or initiative.total_signatures)))
    if initiative.decided_at and initiative.decision_text:
        entries.append(Entry(
            id=f"{url}#decision", link=url, updated=initiative.decided_at,
            title=_("Kommunestyrets vedtak: %(title)s", title=initiative.title),
            content=excerpt(initiative.decision_text, EXCERPT)))
    if initiative.rejected_at:
        entries.append(Entry(
            id=f"{url}#same-content", link=url, updated=initiative.rejected_at,
            title=_("Avvist: samme innhold som en tidligere sak: %(title)s", title=initiative.title),
            content=excerpt(initiative.rejection_explanation or "", EXCERPT)))
    for measure in initiative.measures:
        entries.append(Entry(
            id=f"{url}#measure-{measure.id}", link=url, updated=measure.created_at,
            title=_("Tiltak etter innbyggerforslaget: %(title)s", title=initiative.title),
            content=excerpt(measure.text, EXCERPT)))
    return entries


def initiatives_feed() -> tuple[bytes, datetime]:
    """Public innbyggerforslag as they move: new collections, submissions, decisions, measures."""
    initiatives = db.session.scalars(
        select(Initiative).where(Initiative.status.in_(PUBLIC_STATUSES))
        .options(joinedload(Initiative.proposer), selectinload(Initiative.measures))
        .order_by(Initiative.updated_at.desc(), Initiative.id.desc())
        .limit(FEED_LIMIT)
    )
    return _atom(
        feed_id=external_url("opendata.initiatives_feed"),
        title=_("Innbyggerforslag – %(name)s", name=current_app.config["MUNICIPALITY_NAME"]),
        self_link=external_url("opendata.initiatives_feed"),
        alternate=external_url("initiatives.index"),
        subtitle=_("Nye innbyggerforslag, innsending og kommunestyrets vedtak"),
        entries=[entry for initiative in initiatives for entry in _initiative_entries(initiative)],
    )
