"""Scans of paper signature lists: checked by content, stored by content hash, staff only.

Stored like idea pictures (app/ideas/images.py): in UPLOAD_DIR (its own folder), named by the
SHA-256 of the bytes, written to a temporary file and renamed. Unlike a picture, a scan is
kept as sent: it is the evidence of the signatures, and it is never shown to the public.
What it is comes from its bytes, never from its name or the browser's content type.
"""

import contextlib
import hashlib
import io
import os
import re
import tempfile
from dataclasses import dataclass

from flask import current_app
from flask_babel import gettext as _
from PIL import Image, UnidentifiedImageError

from app.core.errors import InvalidInput

CONTENT_TYPES = {"pdf": "application/pdf", "png": "image/png", "jpg": "image/jpeg"}
FILENAME = re.compile(r"^[0-9a-f]{64}\.(pdf|png|jpg)$")
MAX_PIXELS = 200_000_000


@dataclass(frozen=True)
class StoredScan:
    filename: str
    content_type: str
    size: int


def upload_dir() -> str:
    return os.path.join(current_app.config["UPLOAD_DIR"], "initiatives")


def path_of(filename: str) -> str:
    if not FILENAME.match(filename or ""):
        raise ValueError("not a scan's file name")
    return os.path.join(upload_dir(), filename)


def max_bytes() -> int:
    return max(1, int(current_app.config.get("INITIATIVE_SCAN_MAX_MB") or 10)) * 1024 * 1024


def _refuse(field: str, message: str) -> InvalidInput:
    return InvalidInput(message, fields={field: [message]})


def _kind(data: bytes, field: str) -> str:
    """'pdf', 'png' or 'jpg' from the bytes themselves; InvalidInput for anything else."""
    wrong = _("Filen er ikke en PDF, PNG eller JPEG. Skann listene til en av disse.")
    broken = _("Vi klarte ikke å lese filen. Den kan være skadet. Skann listene på nytt.")
    if data.startswith(b"%PDF-"):
        # A whole PDF ends with %%EOF (perhaps followed by a line break or some padding).
        if b"%%EOF" not in data[-2048:]:
            raise _refuse(field, broken)
        return "pdf"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        expected = "PNG"
    elif data.startswith(b"\xff\xd8\xff"):
        expected = "JPEG"
    else:
        raise _refuse(field, wrong)
    try:
        with Image.open(io.BytesIO(data)) as probe:
            if probe.format != expected:
                raise _refuse(field, wrong)
            if probe.width * probe.height > MAX_PIXELS:
                raise _refuse(field, _("Bildet har for mange piksler. Skann med lavere oppløsning."))
            probe.verify()
    except InvalidInput:
        raise
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, Image.DecompressionBombError) as exc:
        raise _refuse(field, broken) from exc
    return "png" if expected == "PNG" else "jpg"


def read_upload(source, field: str = "scan") -> bytes:
    """The bytes of an upload (a FileStorage, a stream or bytes), at most INITIATIVE_SCAN_MAX_MB."""
    limit = max_bytes()
    if isinstance(source, bytes | bytearray):
        data = bytes(source)
    else:
        stream = getattr(source, "stream", source)
        data = stream.read(limit + 1)
    if len(data) > limit:
        raise _refuse(field, _("Filen er større enn %(n)d MB. Skann med lavere oppløsning, eller del den opp.",
                               n=limit // (1024 * 1024)))
    if not data:
        raise _refuse(field, _("Filen er tom. Velg skanningen på nytt."))
    return data


def store_scan(source, field: str = "scan") -> StoredScan:
    """Check and store a scan. Raises InvalidInput on `field` for a file too large, empty,
    or not a PDF, PNG or JPEG by its content."""
    data = read_upload(source, field)
    ext = _kind(data, field)
    filename = f"{hashlib.sha256(data).hexdigest()}.{ext}"
    target = os.path.join(upload_dir(), filename)
    if not os.path.exists(target):
        os.makedirs(upload_dir(), exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=upload_dir(), suffix=".part")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            os.replace(tmp, target)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                os.remove(tmp)
            raise
    return StoredScan(filename, CONTENT_TYPES[ext], len(data))
