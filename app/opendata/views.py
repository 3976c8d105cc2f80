"""Thin views: the feeds, /open-data and its files, the data description, sitemap and robots."""

import json
from datetime import UTC, datetime

from flask import Response, abort, render_template, request, send_file, stream_with_context

from app.core.pagecache import public_page
from app.core.urls import external_url
from app.ideas import queries as idea_queries
from app.ideas.permissions import can_view_idea
from app.opendata import bp, exports, feeds, sitemap
from app.portfolio import queries as portfolio_queries
from app.portfolio.permissions import can_view_project

# Feeds and files are the same for everyone (a visitor's view), so shared caches may keep them
# briefly; a hidden idea leaves every feed within FEED_MAX_AGE.
FEED_MAX_AGE = 300
ATOM = "application/atom+xml; charset=utf-8"


def _feed_response(document: bytes, updated: datetime) -> Response:
    response = Response(document, mimetype="application/atom+xml", content_type=ATOM)
    response.last_modified = updated.astimezone(UTC).replace(microsecond=0)
    response.cache_control.public = True
    response.cache_control.max_age = FEED_MAX_AGE
    response.vary.add("Accept-Language")
    response.vary.add("Cookie")  # the language may come from the switcher's cookie
    response.add_etag()
    return response.make_conditional(request)


@bp.route("/feeds/ideas.atom")
def ideas_feed():
    return _feed_response(*feeds.ideas_feed(feeds.feed_filters(request.args)))


@bp.route("/feeds/ideas/<int:idea_id>.atom")
def idea_feed(idea_id: int):
    idea = idea_queries.load_idea(idea_id)
    if idea is None or not can_view_idea(None, idea):
        abort(404)
    return _feed_response(*feeds.idea_feed(idea))


@bp.route("/feeds/projects/<int:project_id>.atom")
def project_feed(project_id: int):
    project = portfolio_queries.load_project(project_id)
    if project is None or not can_view_project(None, project):
        abort(404)
    return _feed_response(*feeds.project_feed(project))


@bp.route("/feeds/initiatives.atom")
def initiatives_feed():
    return _feed_response(*feeds.initiatives_feed())


@bp.route("/feeds/answers.atom")
def answers_feed():
    return _feed_response(*feeds.answers_feed())


# --- open data ---------------------------------------------------------------------------------


def _file_facts() -> dict[tuple[str, str], dict]:
    facts = {}
    for name in exports.DATASETS:
        for fmt in exports.FORMATS:
            path = exports.path_of(name, fmt)
            if path.exists():
                stat = path.stat()
                facts[(name, fmt)] = {
                    "size": stat.st_size,
                    "made": datetime.fromtimestamp(stat.st_mtime, UTC),
                }
    return facts


@bp.route("/open-data")
@public_page
def index():
    return render_template(
        "opendata/index.html", datasets=exports.DATASETS.values(), formats=exports.FORMATS,
        facts=_file_facts(), licence=exports.LICENCE, licence_en=exports.LICENCE_EN,
    )


@bp.route("/open-data/description")
def description():
    return render_template("opendata/description.html", datasets=exports.DATASETS.values())


@bp.route("/open-data/datapackage.json")
def data_package():
    response = Response(
        json.dumps(exports.data_package(), ensure_ascii=False, indent=2), mimetype="application/json"
    )
    response.headers["Link"] = f'<{exports.LICENCE["path"]}>; rel="license"'
    response.cache_control.public = True
    response.cache_control.max_age = FEED_MAX_AGE
    return response


@bp.route("/open-data/<dataset>.<any(csv, json):fmt>")
def download(dataset: str, fmt: str):
    """A file from OPEN_DATA_FOLDER, made afresh first when it is older than OPEN_DATA_MINUTES;
    send_file streams it from the open file, which a later rename does not touch."""
    if dataset not in exports.DATASETS:
        abort(404)
    path = exports.ensure_file(dataset, fmt)
    response = send_file(
        path, mimetype=exports.MEDIA_TYPES[fmt], download_name=f"{dataset}.{fmt}",
        as_attachment=fmt == "csv", conditional=True, max_age=FEED_MAX_AGE,
    )
    response.cache_control.public = True
    response.headers["Link"] = (
        f'<{exports.LICENCE["path"]}>; rel="license", '
        f'<{external_url("opendata.data_package")}>; rel="describedby"; type="application/json"'
    )
    return response


# --- discovery ---------------------------------------------------------------------------------


def _xml(body) -> Response:
    response = Response(body, mimetype="application/xml")
    response.cache_control.public = True
    response.cache_control.max_age = 3600
    return response


@bp.route("/sitemap.xml")
def sitemap_xml():
    pages = sitemap.page_count()
    if pages > 1:
        return _xml(sitemap.index(pages))
    return _xml(stream_with_context(sitemap.urlset(1)))


@bp.route("/sitemaps/<int:page>.xml")
def sitemap_page(page: int):
    if not 1 <= page <= sitemap.page_count():
        abort(404)
    return _xml(stream_with_context(sitemap.urlset(page)))


@bp.route("/robots.txt")
def robots():
    response = Response(sitemap.robots_txt(), mimetype="text/plain")
    response.cache_control.public = True
    response.cache_control.max_age = 3600
    return response
