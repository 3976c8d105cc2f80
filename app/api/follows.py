"""/api/v1/follows: what the caller follows; follow with PUT, stop with DELETE (both idempotent)."""

from flask import jsonify

from app.api import bp
from app.api import schemas as s
from app.api.common import acting_user
from app.api.openapi import operation
from app.notifications import follows


def target_json(target: follows.Target) -> dict:
    return {"type": target.type, "id": target.id, "title": target.title, "url": target.url}


FOLLOWS = ("Follows",)


@bp.get("/follows")
@operation(tags=FOLLOWS, ok={200: s.FollowList}, auth=True)
def follows_list():
    """Everything the caller follows and may still see, newest first."""
    return jsonify({"items": [target_json(t) for t in follows.follows_of(acting_user())]})


@bp.put("/follows/<any(idea, project, service_area, organisation):target_type>/<int:target_id>")
@operation(tags=FOLLOWS, ok={200: s.FollowOut}, auth=True)
def follow_put(target_type: str, target_id: int):
    """Follow; 200 with the target. 404 for a target that does not exist or is not visible."""
    return jsonify({"following": True, "target": target_json(follows.follow(acting_user(), target_type, target_id))})


@bp.delete("/follows/<any(idea, project, service_area, organisation):target_type>/<int:target_id>")
@operation(tags=FOLLOWS, ok={204: None}, auth=True)
def follow_delete(target_type: str, target_id: int):
    """Stop following; 204 also when the caller did not follow it."""
    follows.unfollow(acting_user(), target_type, target_id)
    return "", 204
