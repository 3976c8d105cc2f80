"""Uploaded pictures: metadata gone, limits kept, stored by content hash, served with the right headers."""

import io
import os

import pytest
from PIL import Image

from app.core.errors import InvalidInput
from app.ideas import images
from app.ideas.services import ImageInput
from tests.factories import login, make_user
from tests.ideas.factories import image_bytes, make_idea


def _open_stored(stored) -> Image.Image:
    return Image.open(images.path_of(stored.filename))


def test_gps_position_and_camera_are_gone_after_upload(app):
    original = image_bytes("JPEG", gps=True)
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(0x8825)  # the test image does carry GPS
    stored = images.store_image(original)
    with open(images.path_of(stored.filename), "rb") as handle:
        data = handle.read()
    assert b"Exif" not in data
    assert b"Hemmelig kamera" not in data
    cleaned = _open_stored(stored)
    assert not cleaned.getexif()
    assert not cleaned.getexif().get_ifd(0x8825)
    assert (stored.content_type, stored.width, stored.height) == ("image/jpeg", 64, 48)


@pytest.mark.parametrize(("fmt", "content_type", "ext"), [("PNG", "image/png", "png"), ("WEBP", "image/webp", "webp")])
def test_png_and_webp_are_accepted_and_cleaned(app, fmt, content_type, ext):
    stored = images.store_image(image_bytes(fmt, gps=True))
    assert stored.content_type == content_type
    assert stored.filename.endswith("." + ext)
    assert not _open_stored(stored).getexif()


def test_camera_orientation_is_applied_before_the_tag_goes(app):
    image = Image.new("RGB", (60, 20), (0, 0, 0))
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90° when shown
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif.tobytes())
    stored = images.store_image(out.getvalue())
    assert (stored.width, stored.height) == (20, 60)


def test_the_same_picture_is_stored_once(app):
    data = image_bytes()
    assert images.store_image(data).filename == images.store_image(data).filename
    assert len(os.listdir(images.upload_dir())) == 1


def test_large_pictures_are_scaled_down(app):
    stored = images.store_image(image_bytes("PNG", size=(3000, 1000)))
    assert (stored.width, stored.height) == (2400, 800)


def test_file_over_5_mb_is_refused_with_a_clear_message(app):
    big = image_bytes() + b"\0" * (5 * 1024 * 1024)
    with pytest.raises(InvalidInput) as caught:
        images.store_image(big, field="image_2")
    assert "større enn 5 MB" in caught.value.fields["image_2"][0]


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"this is not a picture at all, just text pretending to be one", "JPEG-, PNG- eller WebP"),
        (b"GIF89a" + b"\0" * 40, "JPEG-, PNG- eller WebP"),
        (b"", "tom"),
    ],
    ids=["text-as-jpeg", "gif", "empty"],
)
def test_fake_or_unwanted_files_are_refused(app, data, words):
    with pytest.raises(InvalidInput) as caught:
        images.store_image(data, field="image_1")
    assert words in caught.value.fields["image_1"][0]


def test_real_gif_is_refused(app):
    out = io.BytesIO()
    Image.new("RGB", (10, 10)).save(out, "GIF")
    with pytest.raises(InvalidInput) as caught:
        images.store_image(out.getvalue())
    assert "JPEG-, PNG- eller WebP" in caught.value.message


def test_broken_picture_is_refused(app):
    data = image_bytes(size=(200, 200))
    with pytest.raises(InvalidInput) as caught:
        images.store_image(data[: len(data) // 2])
    assert "klarte ikke å lese" in caught.value.message


def test_token_carries_an_upload_for_its_uploader_only(app):
    stored = images.store_image(image_bytes())
    token = images.image_token(stored, user_id=7)
    assert images.image_from_token(token, 7) == stored
    assert images.image_from_token(token, 8) is None
    assert images.image_from_token(token + "x", 7) is None


def test_image_is_served_with_its_type_and_a_long_cache(app, client):
    stored = images.store_image(image_bytes("PNG"))
    make_idea(images=[ImageInput(image=stored, alt_text="Et kart", slot=1)])
    response = client.get(f"/ideas/images/{stored.filename}")
    assert response.status_code == 200
    assert response.mimetype == "image/png"
    assert "max-age=31536000" in response.headers["Cache-Control"]
    assert "public" in response.headers["Cache-Control"]


def test_hidden_ideas_image_is_only_for_its_author_and_moderators(app, client):
    author = make_user()
    stored = images.store_image(image_bytes())
    make_idea(author, hidden=True, images=[ImageInput(image=stored, alt_text="Et bilde", slot=1)])
    url = f"/ideas/images/{stored.filename}"
    assert client.get(url).status_code == 404
    login(client, make_user())
    assert client.get(url).status_code == 404
    client.post("/logout")
    login(client, author)
    response = client.get(url)
    assert response.status_code == 200
    assert "no-store" in response.headers["Cache-Control"]
    client.post("/logout")
    login(client, make_user(role="moderator"))
    assert client.get(url).status_code == 200


@pytest.mark.parametrize("name", ["../secret.jpg", "abc.jpg", "0" * 64 + ".gif", "0" * 64 + ".jpg"])
def test_unknown_or_odd_image_names_are_404(app, client, name):
    assert client.get(f"/ideas/images/{name}").status_code == 404
