"""Citizen text as safe HTML (escaped, paragraphs, nofollow links); staff Markdown."""

import re

import nh3
from markdown_it import MarkdownIt
from markupsafe import Markup, escape

_URL = re.compile(r"(?P<url>https?://[^\s<>\"']+[^\s<>\"'.,;:!?)\]])")
_md = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table")


def _linked(paragraph: str) -> str:
    """Escape a paragraph and make its web addresses links.

    The addresses are found in the raw text and each piece escaped on its own, so a quote or
    an ampersand in the text never ends up half-escaped inside an href.
    """
    pieces, position = [], 0
    for match in _URL.finditer(paragraph):
        url = match.group("url")
        pieces.append(escape(paragraph[position:match.start()]))
        pieces.append(Markup('<a href="{0}" rel="nofollow ugc noopener">{0}</a>').format(url))
        position = match.end()
    pieces.append(escape(paragraph[position:]))
    return "".join(str(piece) for piece in pieces)


def plain_text(text: str | None) -> Markup:
    """Escape citizen text, keep its paragraphs and line breaks, make links clickable."""
    if not text:
        return Markup("")
    paragraphs = re.split(r"\n\s*\n", text.strip().replace("\r\n", "\n"))
    html = []
    for paragraph in paragraphs:
        html.append("<p>" + _linked(paragraph).replace("\n", "<br>\n") + "</p>")
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
