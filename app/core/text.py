"""Citizen text as safe HTML (escaped, paragraphs, nofollow links); staff Markdown."""

import re

import nh3
from markdown_it import MarkdownIt
from markupsafe import Markup, escape

_URL = re.compile(r"(?P<url>https?://[^\s<>\"']+[^\s<>\"'.,;:!?)\]])")
_md = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table")


def _link(match: re.Match) -> str:
    url = match.group("url")
    return f'<a href="{url}" rel="nofollow ugc noopener">{url}</a>'


def plain_text(text: str | None) -> Markup:
    """Escape citizen text, keep its paragraphs and line breaks, make links clickable."""
    if not text:
        return Markup("")
    paragraphs = re.split(r"\n\s*\n", text.strip().replace("\r\n", "\n"))
    html = []
    for paragraph in paragraphs:
        escaped = str(escape(paragraph))
        linked = _URL.sub(_link, escaped)
        html.append("<p>" + linked.replace("\n", "<br>\n") + "</p>")
    return Markup("\n".join(html))


def markdown(text: str | None) -> Markup:
    """Staff Markdown without raw HTML; links get rel=nofollow and a cleaned href."""
    if not text:
        return Markup("")
    rendered = _md.render(text)
    cleaned = nh3.clean(rendered, link_rel="nofollow noopener", url_schemes={"http", "https", "mailto"})
    return Markup(cleaned)


def excerpt(text: str | None, length: int = 200) -> str:
    text = " ".join((text or "").split())
    if len(text) <= length:
        return text
    return text[: length - 1].rsplit(" ", 1)[0] + "…"
