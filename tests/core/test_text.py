"""Citizen text rendered as HTML: escaped, paragraphs kept, addresses made nofollow links."""

from app.core.text import plain_text


def test_paragraphs_line_breaks_and_escaping():
    html = str(plain_text("Første <b>avsnitt</b>\nny linje\n\nAndre & siste"))
    assert html == ("<p>Første &lt;b&gt;avsnitt&lt;/b&gt;<br>\nny linje</p>\n"
                    "<p>Andre &amp; siste</p>")


def test_an_address_becomes_a_nofollow_link_with_its_query_intact():
    html = str(plain_text("Se https://medvik.kommune.no/plan?a=1&b=2."))
    assert ('<a href="https://medvik.kommune.no/plan?a=1&amp;b=2" rel="nofollow ugc noopener">'
            "https://medvik.kommune.no/plan?a=1&amp;b=2</a>.") in html


def test_a_quote_ends_the_address_and_never_enters_the_href():
    # Before, the text was escaped first and "&#34;onmouseover=..." became part of the href.
    html = str(plain_text('https://evil.example/x"onmouseover="alert(1) og <script>'))
    assert '<a href="https://evil.example/x" rel="nofollow ugc noopener">https://evil.example/x</a>' in html
    assert "&#34;onmouseover=&#34;alert(1) og &lt;script&gt;" in html
    assert "<script>" not in html


def test_no_scheme_no_link_and_empty_text():
    assert "<a " not in str(plain_text("javascript:alert(1) www.example.no"))
    assert str(plain_text("")) == "" and str(plain_text(None)) == ""
