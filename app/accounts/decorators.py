"""View decorators built on the permission table."""

from functools import wraps

from flask import abort
from flask_login import current_user, login_required

from app.accounts.permissions import can


def require(capability: str):
    """Log in first; then 403 unless the user holds the capability."""

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if not can(current_user, capability):
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator
