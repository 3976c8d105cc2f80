"""Static files as they travel: content-hashed names, precompressed, cached for a year.

`flask static build` (run by `make vendor`) copies every file under static/ to static/dist/
under a name that carries a hash of its content (`css/medvirk.css` becomes
`dist/css/medvirk.3f2a9c0d1e7b.css`), with `@import`s of local stylesheets inlined and every
`url()` pointing at the hashed name, writes Brotli and gzip versions beside each file that
compresses, and records the names in static/dist/manifest.json.

WhiteNoise serves static/ in front of the Flask app: it picks the `.br` or `.gz` file by the
request's Accept-Encoding (with `Vary: Accept-Encoding`), answers conditional and range
requests, and adds the site's security headers. A hashed file is `public, max-age=31536000,
immutable`: its name changes when its content does, so a browser never asks for it again. A
plain name is `no-cache` (revalidated with its ETag).

`url_for('static', filename=...)` gives the hashed name when the manifest has one, the app
serves requests (not in debug mode, where an edited file must show at once, and not in tests
that do not ask for it) and the source is no newer than its built copy; otherwise the plain
name, which always works.
"""

import hashlib
import json
import logging
import os
import posixpath
import re
import shutil
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import AppGroup
from whitenoise import WhiteNoise
from whitenoise.compress import Compressor

from app.core import security

log = logging.getLogger(__name__)

BUILD_DIR = "dist"
MANIFEST = "manifest.json"
IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "no-cache"
HASH_LENGTH = 12
# /static/dist/<path>.<12 hex digits>.<ext>: only names the build gave are cached for good.
_HASHED = re.compile(rf"/{BUILD_DIR}/.+\.[0-9a-f]{{{HASH_LENGTH}}}\.[A-Za-z0-9]+$")
_URL = re.compile(r"""url\(\s*(?P<q>['"]?)(?P<ref>[^'")]+?)(?P=q)\s*\)""")
_IMPORT = re.compile(r"""@import\s+(?:url\(\s*)?(?P<q>['"])(?P<ref>[^'"]+)(?P=q)\s*\)?\s*;""")
_EXTERNAL = re.compile(r"^(?:[a-z][a-z0-9+.-]*:|//|#|/)", re.I)
_STATE = "static_files"


class StaticFiles:
    """What one app serves: the static root, its WhiteNoise layer and the hashed names in use."""

    def __init__(self, app: Flask, root: str, hashed: bool, inner):
        self.root = os.path.abspath(root)
        self.inner = inner  # the app's WSGI callable below WhiteNoise (a re-install replaces only this layer)
        self.hashed = hashed
        self._manifest: dict[str, str] | None = None
        headers = security.static_headers(app.config)

        def add_headers(response_headers, path, url):
            response_headers["Cache-Control"] = IMMUTABLE if _HASHED.search(url) else REVALIDATE
            for name, value in headers.items():
                response_headers[name] = value

        self.middleware = WhiteNoise(
            inner, root=self.root, prefix=app.static_url_path, autorefresh=app.debug, max_age=None,
            allow_all_origins=False, add_headers_function=add_headers,
        )

    @property
    def manifest(self) -> dict[str, str]:
        """Read at the first url_for, not at start: `flask static build` itself needs none."""
        if self._manifest is None:
            self._manifest = load_manifest(self.root) if self.hashed else {}
        return self._manifest


def init_app(app: Flask) -> None:
    install(app, app.static_folder, hashed=not (app.debug or app.testing))
    app.cli.add_command(static_cli)


def install(app: Flask, root: str, hashed: bool) -> StaticFiles:
    """Serve `root` under the app's static URL; with `hashed`, name files by the manifest there."""
    previous = app.extensions.get(_STATE)
    files = StaticFiles(app, root, hashed, previous.inner if previous else app.wsgi_app)
    app.wsgi_app = files.middleware
    if previous is None:
        app.url_defaults(_hashed_name)
    app.extensions[_STATE] = files
    return files


def _hashed_name(endpoint: str, values: dict) -> None:
    if endpoint == "static":
        name = current_app.extensions[_STATE].manifest.get(values.get("filename"))
        if name is not None:
            values["filename"] = name


def load_manifest(root: str) -> dict[str, str]:
    """Plain name -> hashed name, for every source that has not changed since the build."""
    path = os.path.join(root, BUILD_DIR, MANIFEST)
    try:
        with open(path, encoding="utf-8") as handle:
            entries = json.load(handle)["files"]
    except FileNotFoundError:
        return {}
    except (OSError, ValueError, KeyError, TypeError):
        log.warning("%s cannot be read: static files keep their plain names (run `make static`)", path)
        return {}
    names, stale = {}, []
    for source, (hashed, size, mtime_ns) in entries.items():
        try:
            stat = os.stat(os.path.join(root, source))
        except OSError:
            continue
        if (stat.st_size, stat.st_mtime_ns) != (size, mtime_ns) or not os.path.isfile(os.path.join(root, hashed)):
            stale.append(source)
        else:
            names[source] = hashed
    if stale:
        log.warning("static/%s is older than %d source file(s) (%s): served under their plain names "
                    "until `make static` builds them again", BUILD_DIR, len(stale), ", ".join(sorted(stale)[:5]))
    return names


# --- the build ----------------------------------------------------------------------------


def _sources(root: Path) -> list[str]:
    found = []
    for dirpath, dirnames, filenames in os.walk(root):
        rel_dir = os.path.relpath(dirpath, root)
        if rel_dir == ".":
            dirnames[:] = [d for d in dirnames if d != BUILD_DIR]
        dirnames[:] = [d for d in dirnames if not d.startswith(".")]
        for name in filenames:
            if not name.startswith(".") and not name.endswith((".gz", ".br")):
                found.append(posixpath.normpath(posixpath.join(rel_dir.replace(os.sep, "/"), name)))
    return sorted(found)


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:HASH_LENGTH]


def _hashed_path(source: str, data: bytes) -> str:
    stem, ext = posixpath.splitext(source)
    return f"{BUILD_DIR}/{stem}.{_digest(data)}{ext}"


def _css(root: Path, source: str, out_dir: str, hashed: dict[str, str], seen: tuple[str, ...] = ()) -> str:
    """The stylesheet `source` as it will be served from `out_dir` (a folder under static/):
    local @imports inlined, every local url() pointing at the hashed file."""
    text = (root / source).read_text(encoding="utf-8")
    here = posixpath.dirname(source)
    inlined: list[str] = []

    def inline(match: re.Match) -> str:
        ref = match.group("ref")
        target = posixpath.normpath(posixpath.join(here, ref))
        if _EXTERNAL.match(ref) or not target.endswith(".css") or target in seen or not (root / target).is_file():
            return match.group(0)
        inlined.append(_css(root, target, out_dir, hashed, (*seen, source)))
        return f"\0{len(inlined) - 1}\0"  # put back after this file's own url()s are rewritten

    def rewrite(match: re.Match) -> str:
        ref = match.group("ref").strip()
        if _EXTERNAL.match(ref):
            return match.group(0)
        path, suffix = re.match(r"([^?#]*)(.*)", ref).groups()
        target = posixpath.normpath(posixpath.join(here, path))
        final = hashed.get(target, target)
        return f"url({posixpath.relpath(final, out_dir)}{suffix})"

    text = _URL.sub(rewrite, _IMPORT.sub(inline, text))
    return re.sub(r"\0(\d+)\0", lambda m: inlined[int(m.group(1))], text)


def build(root: str | Path, echo=print) -> dict[str, list]:
    """Hash, rewrite and compress every file under `root` into root/dist; write the manifest."""
    root = Path(root)
    out = root / BUILD_DIR
    out.mkdir(exist_ok=True)
    sources = _sources(root)
    hashed: dict[str, str] = {}
    new: list[tuple[Path, bytes]] = []
    # Everything a stylesheet may point at first, the stylesheets after.
    for source in sorted(sources, key=lambda s: (s.endswith(".css"), s)):
        if source.endswith(".css"):
            out_dir = posixpath.dirname(f"{BUILD_DIR}/{source}")
            data = _css(root, source, out_dir, hashed).encode("utf-8")
        else:
            data = (root / source).read_bytes()
        target = _hashed_path(source, data)
        hashed[source] = target
        if not (root / target).exists():
            new.append((root / target, data))
    with ThreadPoolExecutor(max_workers=max(1, min(4, os.cpu_count() or 1))) as pool:
        list(pool.map(lambda item: _write(*item), new))
    entries = {}
    for source in sources:
        stat = (root / source).stat()
        entries[source] = [hashed[source], stat.st_size, stat.st_mtime_ns]
    tmp = out / (MANIFEST + ".tmp")
    tmp.write_text(json.dumps({"version": 1, "files": entries}, indent=1, sort_keys=True), encoding="utf-8")
    tmp.replace(out / MANIFEST)
    echo(f"static: {len(sources)} files, {len(new)} new in {out}")
    return {"sources": sources, "written": [path for path, _data in new]}


def _write(path: Path, data: bytes) -> None:
    """The Brotli and gzip copies first (where they save at least 5 %), the file itself last:
    a hashed file that exists is complete, so a build that stopped half-way is finished by the next."""
    path.parent.mkdir(parents=True, exist_ok=True)
    compressor = Compressor(quiet=True)
    variants = {}
    if compressor.should_compress(path.name):
        br = compressor.compress_brotli(data)
        if compressor.is_compressed_effectively("Brotli", str(path), len(data), br):
            variants[".br"] = br
            gz = compressor.compress_gzip(data)
            if compressor.is_compressed_effectively("Gzip", str(path), len(data), gz):
                variants[".gz"] = gz
    for suffix, body in [*variants.items(), ("", data)]:
        tmp = path.with_name(f"{path.name}{suffix}.tmp")
        tmp.write_bytes(body)
        tmp.replace(path.with_name(path.name + suffix))


def clean(root: str | Path) -> None:
    shutil.rmtree(Path(root) / BUILD_DIR, ignore_errors=True)


static_cli = AppGroup("static", help="Hashed, compressed static files: build by hand on deploy.")


@static_cli.command("build", help="Hash and compress static/ into static/dist; by hand on deploy.")
@click.option("--clean", "fresh", is_flag=True, help="Remove static/dist first (old hashed files go).")
def build_command(fresh: bool):
    root = current_app.static_folder
    if fresh:
        clean(root)
    build(root, echo=click.echo)
