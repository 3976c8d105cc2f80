"""The JSON API, version 1, over the same services as the pages."""

from flask import Blueprint

from app.core.ratelimit import limit_blueprint

bp = Blueprint("api", __name__, url_prefix="/api/v1")
# Every API call counts against RATELIMIT_API (per person or address) and its per-address limit.
limit_blueprint(bp, "RATELIMIT_API")

from app.api import comments, follows, ideas, initiatives, me, moderation, openapi, plan, portfolio  # noqa: E402, F401
