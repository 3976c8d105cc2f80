"""Users, sessions, organisations, roles and permissions."""

from flask import Blueprint

bp = Blueprint("accounts", __name__)


@bp.record_once
def _init_oidc(state) -> None:
    from app.accounts import oidc

    oidc.init_app(state.app)


from app.accounts import staff_views, views  # noqa: E402, F401
