"""Uploaded pictures: metadata gone, limits kept, stored by content hash, served with the right headers."""

import io
import os

import pytest
from PIL import Image

from app.core.errors import InvalidInput
from app.ideas import images
from app.ideas.services import ImageInput
from tests.factories import login, make_service_area, make_user
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


def test_broken_picture_is_refused_after_a_meeting_document_was_made(app):
    """WeasyPrint's import tells Pillow to take truncated files; the meeting document puts that back."""
    from PIL import ImageFile

    from app.portfolio import meeting_document

    meeting_document._weasyprint()
    assert ImageFile.LOAD_TRUNCATED_IMAGES is False
    data = image_bytes(size=(200, 200))
    with pytest.raises(InvalidInput):
        images.store_image(data[: len(data) // 2])


def test_token_carries_an_upload_for_its_uploader_only(app):
    stored = images.store_image(image_bytes())
    token = images.image_token(stored, user_id=7)
    assert images.image_from_token(token, 7) == stored
    assert images.image_from_token(token, 8) is None
    assert images.image_from_token(token + "x", 7) is None


def test_image_is_served_with_its_type_and_a_short_revalidated_cache(app, client):
    stored = images.store_image(image_bytes("PNG"))
    make_idea(images=[ImageInput(image=stored, alt_text="Et kart", slot=1)])
    response = client.get(f"/ideas/images/{stored.filename}")
    assert response.status_code == 200
    assert response.mimetype == "image/png"
    # Short, so a hidden idea's picture leaves caches soon (tests/ideas/test_hidden_images.py).
    assert response.headers["Cache-Control"] == "public, max-age=300, must-revalidate"


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


# --- staging: pictures are stored before publishing, within the idea budget ----------------------

_STAGING_FORM = {
    "title": "Fortau langs Kirkeveien",
    "body": "Skoleveien mangler fortau på den siste strekningen ned mot skolen, og bilene kjører fort.",
    "sdgs": ["3", "11"],
    "place": "Kirkeveien",
    "action": "edit",  # back to the form: the similar-ideas step, nothing published
}


def _stage(client, service_area, colour, **extra):
    data = dict(_STAGING_FORM, service_area_id=str(service_area.id), alt_1="Et bilde", **extra)
    data["image_1"] = (io.BytesIO(image_bytes(colour=colour)), "bilde.jpg")
    return client.post("/ideas/new", data=data, content_type="multipart/form-data")


def test_staging_beyond_the_idea_budget_is_refused_next_to_the_field_and_the_text_is_kept(app, client):
    app.config.update(RATELIMIT_IDEAS="2 per hour", RATELIMIT_IDEAS_PER_ADDRESS="100 per hour")
    service_area = make_service_area()
    login(client, make_user())
    budget = 2 * images.MAX_IMAGES
    for n in range(budget):
        assert _stage(client, service_area, colour=(n * 40, 10, 10)).status_code == 200
    assert len(os.listdir(images.upload_dir())) == budget
    response = _stage(client, service_area, colour=(200, 200, 10), place="Ved Kirkeveien 12")
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="image_1-error">Du har lastet opp mange bilder på kort tid' in html
    assert "Velg filen på nytt" not in html  # choosing it again would not help
    assert 'value="Ved Kirkeveien 12"' in html and "Fortau langs Kirkeveien" in html
    assert len(os.listdir(images.upload_dir())) == budget


def test_staging_budget_is_per_person(app, client):
    app.config.update(RATELIMIT_IDEAS="1 per hour", RATELIMIT_IDEAS_PER_ADDRESS="100 per hour")
    service_area = make_service_area()
    login(client, make_user())
    for n in range(images.MAX_IMAGES):
        assert _stage(client, service_area, colour=(n * 40, 20, 20)).status_code == 200
    assert _stage(client, service_area, colour=(90, 20, 20)).status_code == 422
    client.post("/logout")
    login(client, make_user())
    assert _stage(client, service_area, colour=(91, 20, 20)).status_code == 200


def test_staging_budget_per_address_holds_across_accounts(app, client):
    app.config.update(RATELIMIT_IDEAS="100 per hour", RATELIMIT_IDEAS_PER_ADDRESS="1 per hour")
    service_area = make_service_area()
    login(client, make_user())
    for n in range(images.MAX_IMAGES):
        assert _stage(client, service_area, colour=(n * 40, 30, 30)).status_code == 200
    client.post("/logout")
    login(client, make_user())
    assert _stage(client, service_area, colour=(92, 30, 30)).status_code == 422


def test_logged_out_people_cannot_stage_pictures(app, client):
    service_area = make_service_area()
    response = _stage(client, service_area, colour=(1, 2, 3))
    assert response.status_code == 302
    assert not os.path.exists(images.upload_dir()) or not os.listdir(images.upload_dir())


def test_sending_a_stored_picture_again_makes_it_young_again(app):
    data = image_bytes()
    stored = images.store_image(data)
    path = images.path_of(stored.filename)
    os.utime(path, (1_000_000, 1_000_000))
    images.store_image(data)
    assert os.path.getmtime(path) > 1_000_000


@pytest.mark.skipif(not os.environ.get("TEST_REDIS_URL"), reason="TEST_REDIS_URL is not set (CI sets it)")
def test_staging_budget_is_shared_by_every_worker_through_redis(app_config, app):
    import redis

    from app import create_app

    url = os.environ["TEST_REDIS_URL"]
    redis.Redis.from_url(url).flushdb()
    config = {**app_config, "RATELIMIT_STORAGE_URI": url, "RATELIMIT_IDEAS": "1 per hour"}
    service_area, user = make_service_area(), make_user()
    workers = [create_app(config).test_client() for _ in range(2)]
    for worker in workers:
        login(worker, user)
    statuses = [
        _stage(workers[n % 2], service_area, colour=(n * 40, 40, 40)).status_code
        for n in range(images.MAX_IMAGES + 1)
    ]
    assert statuses == [200] * images.MAX_IMAGES + [422]
