"""What every domain uses: reference data, errors, pagination, text rendering, i18n, security."""

from flask import Blueprint

bp = Blueprint("core", __name__)

from app.core import views  # noqa: E402, F401
