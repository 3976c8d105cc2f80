"""API v1: the calling person's own data (export; account deletion)."""

import tempfile

from flask import jsonify, send_file
from flask_babel import gettext as _

from app.api import bp
from app.api import schemas as s
from app.api.common import acting_user, body
from app.api.openapi import operation
from app.core.db import as_utc
from app.core.errors import InvalidInput
from app.core.ratelimit import limit
from app.core.urls import site_path
from app.privacy import deletion, export
from app.privacy.models import DataExport

SPOOL_BYTES = 8 * 1024 * 1024


def _iso(value):
    return as_utc(value).isoformat() if value else None


def export_json(item: DataExport) -> dict:
    return {
        "id": item.id,
        "status": item.status.value,
        "requested_by_staff": item.requested_by_id is not None,
        "size": item.size,
        "created_at": _iso(item.created_at),
        "ready_at": _iso(item.ready_at),
        "expires_at": _iso(item.expires_at),
        "downloaded_at": _iso(item.downloaded_at),
        "status_url": site_path("api.me_export_status", export_id=item.id),
        "download_url": site_path("api.me_export_download", export_id=item.id),
    }


def _zip(path_or_file, person):
    response = send_file(path_or_file, mimetype="application/zip", as_attachment=True,
                         download_name=export.export_filename(person))
    response.headers["Cache-Control"] = "no-store"
    return response


ME = ("Me",)
ZIP = {"content": {"application/zip": {"schema": {"type": "string", "format": "binary"}}}}


@bp.route("/me/export")
@limit("RATELIMIT_EXPORT", methods=None)
@operation(tags=ME, ok={200: None, 202: s.ExportStarted}, auth=True)
def me_export():
    """The caller's data: the ZIP at once when small, else 202 and the export to poll."""
    person = acting_user()
    result = export.request_export(person)
    if result.inline:
        spool = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115 - send_file closes it
        export.write_zip(person, spool)
        spool.seek(0)
        return _zip(spool, person)
    return jsonify({"export": export_json(result.export), "created": result.created}), 202


@bp.route("/me/exports/<int:export_id>")
@operation(tags=ME, ok={200: s.ExportStatus}, auth=True)
def me_export_status(export_id: int):
    """Where a requested export is (pending, ready, downloaded, expired)."""
    return jsonify({"export": export_json(export.get_export(acting_user(), export_id))})


@bp.route("/me/exports/<int:export_id>/download")
@operation(tags=ME, ok={200: None}, auth=True, errors=(410,))
def me_export_download(export_id: int):
    """A ready export's ZIP, once (410 afterwards, or when it expired)."""
    person = acting_user()
    found = export.get_export(person, export_id)
    return _zip(export.claim_download(person, found), found.user)


@bp.route("/me", methods=["DELETE"])
@operation(tags=ME, json=s.DeletionIn, ok={202: s.DeletionOut}, auth=True)
def me_delete():
    """Ask for the caller's account to be deleted: {"keep_content": bool, "password": "..."}.

    The same rules as the page (app/privacy/deletion.py): the password (or, for an account
    without one, a sign-in in the last minutes), a grace period in which signing in cancels
    it. 202 with the date it will happen; a wrong password is 422 on `password`.
    """
    person = acting_user()
    data = body()
    if data.keep_content is None:
        message = _("Velg om det du har skrevet skal stå igjen (keep_content: true) eller fjernes (false).")
        raise InvalidInput(message, fields={"keep_content": [message]})
    keep_content = data.keep_content
    password = data.password
    due = deletion.request_deletion(person, keep_content=keep_content, password=password)
    return jsonify({"deletion": {"due_at": _iso(due), "keep_content": keep_content,
                                 "cancel": _("Logg inn før datoen for å avbryte slettingen.")}}), 202
