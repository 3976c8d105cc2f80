"""Open data: Atom feeds, the public bulk exports at /open-data, sitemap.xml and robots.txt.

It reads ideas, comments and the portfolio through their queries and predicates, always as a
visitor sees them; nothing imports it.
"""

from flask import Blueprint

bp = Blueprint("opendata", __name__)

from app.opendata import views  # noqa: E402, F401
