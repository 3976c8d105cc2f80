"""The meeting document: the agenda, the board's ranking of the agenda's projects, the budget
line and the decisions, as a tagged PDF made on the server with WeasyPrint.

Nothing is fetched from the network while it is made: the only URLs the document may load are
files under static/ (the vendored Inter font), through StaticFilesOnly; any other address (a
web font, an image on another site, file:///etc/passwd) is refused.
"""

import logging
import mimetypes
import re
from functools import cache
from pathlib import Path
from urllib.parse import unquote

from flask import current_app, render_template

from app.accounts.models import User
from app.core.db import utcnow
from app.core.i18n import current_locale
from app.portfolio import meetings
from app.portfolio.models import Meeting

# The one scheme the document's URLs use: medvirk-static:vendor/inter/files/....woff2
SCHEME = "medvirk-static:"


# WeasyPrint reports every step at INFO; the log wants to hear of its warnings only.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)


@cache
def _weasyprint():
    """WeasyPrint, loaded when the first document is made, not with every worker that never
    makes one.

    Importing it sets Pillow's process-wide ImageFile.LOAD_TRUNCATED_IMAGES, after which a
    half-sent upload would be taken as a picture (app/ideas/images.py, the initiatives' scans).
    The document loads no pictures, only the vendored font, so the setting goes back at once.
    """
    from PIL import ImageFile

    before = ImageFile.LOAD_TRUNCATED_IMAGES
    import weasyprint
    import weasyprint.urls

    ImageFile.LOAD_TRUNCATED_IMAGES = before
    return weasyprint


@cache
def _fetcher_class():
    urls = _weasyprint().urls
    URLFetcher, URLFetcherResponse = urls.URLFetcher, urls.URLFetcherResponse

    class StaticFilesOnly(URLFetcher):
        """Serves files under the static folder for SCHEME URLs and refuses everything else."""

        def __init__(self, root: str | Path):
            super().__init__(allowed_protocols=("medvirk-static",), allow_redirects=False)
            self.root = Path(root).resolve()

        def fetch(self, url, headers=None):
            if not url.startswith(SCHEME):
                raise ValueError(f"the meeting document loads no {url.split(':', 1)[0]} address")
            relative = unquote(url[len(SCHEME):].split("?", 1)[0].split("#", 1)[0]).lstrip("/")
            path = (self.root / relative).resolve()
            if not path.is_relative_to(self.root) or not path.is_file():
                raise ValueError("not a static file")
            mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": mime})

    return StaticFilesOnly


def static_files_only(root: str | Path):
    """A WeasyPrint URL fetcher that serves the files under `root` and refuses anything else."""
    return _fetcher_class()(root)


def static_url(filename: str) -> str:
    return f"{SCHEME}{filename}"


FONT_CSS = "vendor/inter/inter.css"


def font_css() -> str:
    """The vendored Inter's @font-face rules (make vendor writes them), pointed at the static
    files through SCHEME; empty when the front-end packages are not installed."""
    path = Path(current_app.static_folder) / FONT_CSS
    if not path.is_file():
        return ""
    # Only the faces of Inter's own files: the metric fallbacks name local fonts a server may
    # not have, and WeasyPrint knows none of their descriptors.
    # A variable font's weight range ("400 700") is no descriptor WeasyPrint reads; without it
    # the one face serves every weight from the font's own axis.
    faces = re.findall(r"@font-face\s*\{[^}]*\}", path.read_text(encoding="utf-8"))
    return "\n".join(
        re.sub(r"font-weight:\s*\d+\s+\d+\s*;", "", face).replace("url(files/", f"url({SCHEME}vendor/inter/files/")
        for face in faces if "url(files/" in face
    )


def render_html(meeting: Meeting, viewer: User | None) -> str:
    """The document as HTML, in the reader's language."""
    page = meetings.meeting_page(meeting, viewer)
    rows = [row for row in page.rows if row.visible]
    ranked = sorted(rows, key=lambda row: (row.item.board_rank is None, row.item.board_rank or 0))
    return render_template(
        "portfolio/meetings/document.html", meeting=meeting, page=page, rows=rows, ranked=ranked,
        lang=current_locale(), font_css=font_css(), made_at=utcnow(),
    )


def render_pdf(meeting: Meeting, viewer: User | None) -> bytes:
    """The tagged PDF (PDF/UA-1: structure tags, the title shown, the language set)."""
    html = _weasyprint().HTML(string=render_html(meeting, viewer), base_url=SCHEME,
                url_fetcher=static_files_only(current_app.static_folder))
    return html.write_pdf(pdf_variant="pdf/ua-1")
