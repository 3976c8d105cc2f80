"""Uploaded pictures: checked, re-encoded without metadata, stored by content hash.

Re-encoding with Pillow drops EXIF (GPS position included), XMP, comments and colour
profiles; the file name is the SHA-256 of what we wrote, so the same picture is stored once
and its URL can be cached for ever.
"""

import contextlib
import hashlib
import io
import os
import re
import tempfile
import time
from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from flask_babel import gettext as _
from itsdangerous import BadSignature, URLSafeSerializer
from PIL import Image, ImageOps, UnidentifiedImageError
from sqlalchemy import select

from app.core.errors import InvalidInput
from app.extensions import db

MAX_BYTES = 5 * 1024 * 1024
MAX_PIXELS = 40_000_000
# Larger pictures are scaled down: nobody needs more on a web page, and it keeps files small.
MAX_SIDE = 2400
MAX_IMAGES = 3

FORMATS = {
    "JPEG": ("image/jpeg", "jpg"),
    "PNG": ("image/png", "png"),
    "WEBP": ("image/webp", "webp"),
}
CONTENT_TYPES = {ext: content_type for content_type, ext in FORMATS.values()}
FILENAME = re.compile(r"^[0-9a-f]{64}\.(jpg|png|webp)$")
# Half-written files (tempfile.mkstemp names) that a crash between write and rename leaves.
TEMP_SUFFIX = ".part"
TEMP_FILE = re.compile(r"^tmp[A-Za-z0-9_]+\.part$")


@dataclass(frozen=True)
class StoredImage:
    filename: str
    content_type: str
    width: int
    height: int


def upload_dir() -> str:
    return os.path.join(current_app.config["UPLOAD_DIR"], "ideas")


def path_of(filename: str) -> str:
    return os.path.join(upload_dir(), filename)


def _refuse(field: str, message: str) -> InvalidInput:
    return InvalidInput(message, fields={field: [message]})


def _read(source, field: str) -> bytes:
    if isinstance(source, bytes | bytearray):
        data = bytes(source)
    else:
        stream = getattr(source, "stream", source)
        data = stream.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise _refuse(field, _("Bildet er større enn 5 MB. Forminsk det, eller velg et annet bilde."))
    if not data:
        raise _refuse(field, _("Filen er tom. Velg bildet på nytt."))
    return data


def _encode(data: bytes, field: str) -> tuple[bytes, str, str, int, int]:
    wrong_type = _("Filen er ikke et bilde vi tar imot. Velg et JPEG-, PNG- eller WebP-bilde.")
    broken = _("Vi klarte ikke å lese bildet. Filen kan være skadet. Velg en annen fil.")
    try:
        probe = Image.open(io.BytesIO(data))
    except UnidentifiedImageError as exc:
        raise _refuse(field, wrong_type) from exc
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError) as exc:
        raise _refuse(field, broken) from exc
    if probe.format not in FORMATS:
        raise _refuse(field, wrong_type)
    if probe.width * probe.height > MAX_PIXELS:
        raise _refuse(field, _("Bildet har for mange piksler. Forminsk det, og prøv igjen."))
    content_type, ext = FORMATS[probe.format]
    try:
        probe.verify()
        image = Image.open(io.BytesIO(data))
        image.load()
        # Turn the picture the way the camera meant before the orientation tag goes away.
        image = ImageOps.exif_transpose(image)
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError) as exc:
        raise _refuse(field, broken) from exc
    image.thumbnail((MAX_SIDE, MAX_SIDE))
    # Nothing from the original's metadata may ride along into the new file.
    transparency = image.info.get("transparency")
    image.info.clear()
    if transparency is not None and image.mode in ("P", "L", "RGB"):
        image.info["transparency"] = transparency
    out = io.BytesIO()
    if ext == "jpg":
        if image.mode not in ("RGB", "L"):
            image = image.convert("RGB")
        image.save(out, "JPEG", quality=85, optimize=True, progressive=True)
    elif ext == "png":
        if image.mode not in ("RGB", "RGBA", "L", "LA", "P"):
            image = image.convert("RGBA")
        image.save(out, "PNG", optimize=True)
    else:
        if image.mode not in ("RGB", "RGBA"):
            image = image.convert("RGBA" if "A" in image.getbands() else "RGB")
        image.save(out, "WEBP", quality=85)
    return out.getvalue(), content_type, ext, image.width, image.height


def store_image(source, field: str = "image") -> StoredImage:
    """Check, clean and store an upload (a FileStorage, a stream or bytes).

    Raises InvalidInput on `field` for a file over 5 MB, not JPEG/PNG/WebP, or unreadable.
    """
    data = _read(source, field)
    encoded, content_type, ext, width, height = _encode(data, field)
    filename = f"{hashlib.sha256(encoded).hexdigest()}.{ext}"
    target = path_of(filename)
    try:
        # The same picture sent again is young again: `flask uploads clean` goes by age.
        os.utime(target)
    except FileNotFoundError:
        os.makedirs(upload_dir(), exist_ok=True)
        # Write then rename, so a reader never sees half a file.
        fd, tmp = tempfile.mkstemp(dir=upload_dir(), suffix=TEMP_SUFFIX)
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(encoded)
            os.replace(tmp, target)
        except BaseException:
            _remove_quietly(tmp)
            raise
    return StoredImage(filename, content_type, width, height)


def _remove_quietly(path: str) -> None:
    with contextlib.suppress(FileNotFoundError):
        os.remove(path)


# --- cleaning up what was never published -------------------------------------------------


@dataclass
class CleanResult:
    removed: int = 0
    removed_bytes: int = 0
    kept_attached: int = 0
    kept_young: int = 0


def clean_unattached(older_than: timedelta, dry_run: bool = False) -> CleanResult:
    """Remove stored pictures no idea uses, and stray half-written files, older than `older_than`.

    A picture is stored when it is sent, before its idea is published; one whose idea never
    came is removed here. Never removes a file an IdeaImage row names, nor one younger than
    the limit (it may still be carried by a form). Raises nothing; safe to run twice.
    """
    from app.ideas.models import IdeaImage

    result = CleanResult()
    directory = upload_dir()
    if not os.path.isdir(directory):
        return result
    cutoff = time.time() - older_than.total_seconds()
    old: dict[str, os.stat_result] = {}
    with os.scandir(directory) as entries:
        for entry in entries:
            if not entry.is_file(follow_symlinks=False):
                continue
            ours = FILENAME.match(entry.name) or TEMP_FILE.match(entry.name)
            if not ours:
                continue  # not written by store_image: not ours to judge
            stat = entry.stat(follow_symlinks=False)
            if stat.st_mtime >= cutoff:
                result.kept_young += 1
            else:
                old[entry.name] = stat
    names = [name for name in old if FILENAME.match(name)]
    attached: set[str] = set()
    for start in range(0, len(names), 500):
        chunk = names[start : start + 500]
        attached.update(db.session.scalars(select(IdeaImage.filename).where(IdeaImage.filename.in_(chunk))))
    for name, stat in sorted(old.items()):
        if name in attached:
            result.kept_attached += 1
            continue
        path = os.path.join(directory, name)
        try:
            # Sent again, or carried by a form, since the scan: young again, so it stays.
            if os.stat(path, follow_symlinks=False).st_mtime >= cutoff:
                result.kept_young += 1
                continue
            if not dry_run:
                os.remove(path)
        except FileNotFoundError:
            continue  # another run got there first
        result.removed += 1
        result.removed_bytes += stat.st_size
    return result


# --- carrying an upload across the steps of a form ----------------------------------------


def _signer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="idea-image")


def image_token(image: StoredImage, user_id: int) -> str:
    """A signed reference to an image already stored, so the person need not upload it again."""
    return _signer().dumps(
        {"f": image.filename, "t": image.content_type, "w": image.width, "h": image.height, "u": user_id}
    )


def image_from_token(token: str | None, user_id: int) -> StoredImage | None:
    """The stored image a token names, or None when it is forged, someone else's, or gone."""
    if not token:
        return None
    try:
        data = _signer().loads(token)
    except BadSignature:
        return None
    if data.get("u") != user_id or not FILENAME.match(str(data.get("f", ""))):
        return None
    try:
        # A form still carries it: young again, so `flask uploads clean` leaves it alone.
        os.utime(path_of(data["f"]))
    except FileNotFoundError:
        return None
    return StoredImage(data["f"], data["t"], int(data["w"]), int(data["h"]))
