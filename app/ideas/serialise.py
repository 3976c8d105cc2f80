"""An idea as JSON (API v1), with a registry for what other domains add to it.

IDEA_JSON_EXTENSIONS: functions (idea, data) -> None that add keys to `data`, e.g. the
portfolio's "projects". IDEA_JSON_PRELOADS: functions (ideas) -> None called once before a
list is turned into JSON, so an extension can load what it needs for all of them in one
query (and keep it, for instance, on flask.g) instead of one query per idea.
"""

from collections.abc import Callable

from app.core.urls import external_url
from app.ideas.models import Idea

IDEA_JSON_EXTENSIONS: list[Callable] = []
IDEA_JSON_PRELOADS: list[Callable] = []


def _iso(value) -> str | None:
    return value.isoformat() if value is not None else None


def idea_json(idea: Idea) -> dict:
    data = {
        "id": idea.id,
        "title": idea.title,
        "body": idea.body,
        "status": idea.status.value,
        "author": {"name": idea.author.display_name},
        "organisation": (
            {"id": idea.organisation.id, "name": idea.organisation.name} if idea.organisation else None
        ),
        "service_area": {"id": idea.service_area.id, "name": idea.service_area.name,
                         "names": idea.service_area.names},
        "sdgs": [goal.number for goal in idea.sdgs],
        "place": idea.place,
        "vote_count": idea.vote_count,
        "comment_count": idea.comment_count,
        "endorsement_count": idea.endorsement_count,
        "created_at": _iso(idea.created_at),
        "updated_at": _iso(idea.updated_at),
        "url": external_url("ideas.detail", idea_id=idea.id),
        "status_history": [
            {
                "from": change.from_status.value if change.from_status else None,
                "to": change.to_status.value,
                "explanation": change.explanation or "",
                "created_at": _iso(change.created_at),
            }
            for change in idea.status_changes
        ],
    }
    for extend in IDEA_JSON_EXTENSIONS:
        extend(idea, data)
    return data


def ideas_json(ideas: list[Idea]) -> list[dict]:
    for preload in IDEA_JSON_PRELOADS:
        preload(ideas)
    return [idea_json(idea) for idea in ideas]
