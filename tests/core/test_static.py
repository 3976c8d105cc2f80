"""Static files: hashed names, a year's immutable cache, Brotli and gzip by Accept-Encoding, the
security headers, and plain names whenever there is no (fresh) build (app/core/assets.py).

Each test builds a small static folder of its own with `flask static build`'s code and serves it
with WhiteNoise in front of a real app; the database plays no part.
"""

import gzip
import json
import os
import re

import brotli
import pytest
from flask import url_for

from app import create_app
from app.core import assets

HASHED = re.compile(r"^/static/dist/(?P<stem>.+)\.(?P<hash>[0-9a-f]{12})\.(?P<ext>\w+)$")
SCRIPT = "// Medvirk\n" + "document.querySelectorAll('[data-vote]').forEach(el => el.hidden = false);\n" * 40


def _write(root, rel, data):
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data if isinstance(data, bytes) else data.encode())
    return path


@pytest.fixture
def static_root(tmp_path):
    root = tmp_path / "static"
    _write(root, "css/site.css", '@import url("extra.css");\n'
           "body { font-family: Inter; }\n"
           "@font-face { font-family: Inter; src: url(../fonts/inter.woff2) format('woff2'); }\n"
           ".icon { background: url(\"data:image/svg+xml,%3Csvg%3E\"); }\n"
           ".logo { background: url('../img/logo.svg?v=1#mark'); }\n"
           + ".card { padding: 1rem; margin: 0 auto; }\n" * 30)
    _write(root, "css/extra.css", ".extra { background: url(../img/logo.svg); }\n")
    _write(root, "fonts/inter.woff2", os.urandom(2048))
    _write(root, "img/logo.svg", '<svg xmlns="http://www.w3.org/2000/svg"><title>logo</title></svg>\n' * 5)
    _write(root, "js/app.js", SCRIPT)
    return root


def _app(root, hashed=True, **config):
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite://", "SERVER_NAME": "medvirk.test",
                      "SESSION_COOKIE_SECURE": False, **config})
    assets.install(app, str(root), hashed=hashed)
    return app


def _url(app, filename):
    with app.test_request_context():
        return url_for("static", filename=filename)


@pytest.fixture
def built(static_root):
    assets.build(static_root, echo=lambda _message: None)
    return static_root


def test_url_for_gives_a_name_that_carries_the_content_hash(built):
    app = _app(built)
    url = _url(app, "js/app.js")
    match = HASHED.match(url)
    assert match, url
    assert match["stem"] == "js/app" and match["ext"] == "js"
    assert (built / url.removeprefix("/static/")).read_text() == SCRIPT


def test_a_changed_file_gets_a_new_name_and_the_old_one_stays_served(built):
    before = _url(_app(built), "js/app.js")
    _write(built, "js/app.js", SCRIPT + "// changed\n")
    assets.build(built, echo=lambda _message: None)
    app = _app(built)
    after = _url(app, "js/app.js")
    assert after != before and HASHED.match(after)
    client = app.test_client()
    # A page still open in a browser from before the deploy keeps its script.
    assert client.get(before).status_code == 200
    assert client.get(after).get_data(as_text=True).endswith("// changed\n")


def test_a_hashed_file_is_cached_for_a_year_and_never_revalidated(built):
    app = _app(built)
    response = app.test_client().get(_url(app, "css/site.css"))
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert response.headers["Content-Type"].startswith("text/css")


@pytest.mark.parametrize(("accept", "encoding"), [
    ("gzip, deflate, br", "br"),
    ("br", "br"),
    ("gzip", "gzip"),
    ("gzip;q=1.0, identity; q=0.5", "gzip"),
    ("", None),
    ("identity", None),
])
def test_brotli_or_gzip_by_accept_encoding(built, accept, encoding):
    app = _app(built)
    url = _url(app, "js/app.js")
    response = app.test_client().get(url, headers={"Accept-Encoding": accept})
    assert response.status_code == 200
    assert response.headers.get("Content-Encoding") == encoding
    assert response.headers["Vary"] == "Accept-Encoding"
    body = response.get_data()
    plain = {"br": brotli.decompress, "gzip": gzip.decompress, None: lambda b: b}[encoding](body)
    assert plain.decode() == SCRIPT
    if encoding:
        assert len(body) < len(SCRIPT) / 5
        assert int(response.headers["Content-Length"]) == len(body)


def test_fonts_are_not_compressed_again(built):
    app = _app(built)
    response = app.test_client().get(_url(app, "fonts/inter.woff2"), headers={"Accept-Encoding": "br, gzip"})
    assert response.status_code == 200
    assert "Content-Encoding" not in response.headers
    assert response.headers["Content-Type"] == "font/woff2"
    assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert not list(built.glob("dist/fonts/*.br")) and not list(built.glob("dist/fonts/*.gz"))


def test_stylesheets_inline_local_imports_and_point_at_hashed_files(built):
    app = _app(built)
    client = app.test_client()
    url = _url(app, "css/site.css")
    css = client.get(url).get_data(as_text=True)
    assert "@import" not in css
    assert ".extra {" in css
    assert 'url("data:image/svg+xml,%3Csvg%3E")' in css  # data: URLs untouched
    refs = re.findall(r"url\(([^)\"']+)\)", css)
    assert refs, css
    base = url.rsplit("/", 1)[0]
    for ref in refs:
        path = os.path.normpath(f"{base}/{ref.split('?')[0].split('#')[0]}")
        assert HASHED.match(path), ref
        assert client.get(path).status_code == 200, ref
    assert "?v=1#mark)" in css  # a query or fragment survives the rewrite


def test_the_security_headers_come_with_static_files(built):
    app = _app(built, SESSION_COOKIE_SECURE=True)
    response = app.test_client().get(_url(app, "js/app.js"))
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response.headers["Strict-Transport-Security"].startswith("max-age=31536000")
    assert "Access-Control-Allow-Origin" not in response.headers


def test_a_plain_name_is_served_and_revalidated(built):
    app = _app(built)
    client = app.test_client()
    response = client.get("/static/js/app.js", headers={"Accept-Encoding": "br"})
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-cache"
    assert response.get_data(as_text=True) == SCRIPT  # no .br beside the source
    again = client.get("/static/js/app.js", headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304 and again.get_data() == b""


def test_without_a_build_url_for_gives_plain_names_that_work(static_root):
    app = _app(static_root)
    url = _url(app, "css/site.css")
    assert url == "/static/css/site.css"
    response = app.test_client().get(url)
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-cache"


def test_a_broken_manifest_gives_plain_names(built, caplog):
    (built / "dist" / "manifest.json").write_text("{not json")
    app = _app(built)
    assert _url(app, "js/app.js") == "/static/js/app.js"
    assert "cannot be read" in caplog.text


def test_a_source_changed_since_the_build_keeps_its_plain_name(built, caplog):
    _write(built, "js/app.js", SCRIPT + "// edited, not built\n")
    app = _app(built)
    assert _url(app, "js/app.js") == "/static/js/app.js"
    assert HASHED.match(_url(app, "css/site.css"))
    assert "js/app.js" in caplog.text and "make static" in caplog.text


def test_tests_and_debug_use_plain_names_unless_asked(built):
    assert _url(_app(built, hashed=False), "js/app.js") == "/static/js/app.js"
    # The suite's own app: TESTING, so pages keep the names the view tests look for.
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite://", "SERVER_NAME": "medvirk.test"})
    assert _url(app, "css/medvirk.css") == "/static/css/medvirk.css"


@pytest.mark.parametrize("path", [
    "/static/nothing-here.css",
    "/static/dist/js/app.000000000000.js",
    "/static/dist/manifest.json.tmp",
    "/static/../app/config.py",
    "/static/%2e%2e/app/config.py",
    "/static/js/app.js.br",
    "/static/dist/js/",
])
def test_unknown_static_paths_are_404(built, path):
    app = _app(built)
    response = app.test_client().get(path, headers={"Accept-Encoding": "br, gzip"})
    assert response.status_code == 404, (path, response.status_code)


def test_head_and_ranges(built):
    app = _app(built)
    client = app.test_client()
    url = _url(app, "js/app.js")
    head = client.head(url)
    assert head.status_code == 200 and head.get_data() == b""
    part = client.get(url, headers={"Range": "bytes=0-9"})
    assert part.status_code == 206 and part.get_data(as_text=True) == SCRIPT[:10]


def test_a_second_build_writes_nothing_and_the_manifest_lists_every_source(built):
    result = assets.build(built, echo=lambda _message: None)
    assert result["written"] == []
    manifest = json.loads((built / "dist" / "manifest.json").read_text())["files"]
    assert set(manifest) == {"css/site.css", "css/extra.css", "fonts/inter.woff2", "img/logo.svg", "js/app.js"}


def test_the_cli_builds(static_root, monkeypatch):
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    monkeypatch.setattr(app, "static_folder", str(static_root))
    result = app.test_cli_runner().invoke(args=["static", "build"])
    assert result.exit_code == 0, result.output
    assert "5 files, 5 new" in result.output
    assert (static_root / "dist" / "manifest.json").is_file()
