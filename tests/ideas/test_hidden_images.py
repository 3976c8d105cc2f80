"""Pictures of ideas: a short, revalidated public cache for visible ideas, none for hidden ones."""

from app.accounts.models import Role
from app.ideas import images
from app.ideas.services import ImageInput
from app.moderation import services as moderation
from tests.factories import login, make_user
from tests.ideas.factories import image_bytes, make_idea


def _idea_with_picture(author=None, hidden: bool = False):
    stored = images.store_image(image_bytes())
    idea = make_idea(author or make_user(), hidden=hidden,
                     images=[ImageInput(image=stored, alt_text="Et bilde av benken", slot=1)])
    return idea, f"/ideas/images/{stored.filename}"


def test_visible_ideas_picture_is_cached_briefly_and_revalidated(app, client):
    _idea, url = _idea_with_picture()
    response = client.get(url)
    assert response.status_code == 200
    cache_control = response.headers["Cache-Control"]
    assert "immutable" not in cache_control and "31536000" not in cache_control
    assert cache_control == "public, max-age=300, must-revalidate"
    assert response.headers.get("ETag") and response.headers.get("Last-Modified")
    again = client.get(url, headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304


def test_a_cache_revalidating_after_the_hiding_gets_404(app, client):
    idea, url = _idea_with_picture()
    etag = client.get(url).headers["ETag"]
    moderation.moderate_item(make_user(role=Role.MODERATOR), "idea", idea.id, "hide", "spam")
    response = client.get(url, headers={"If-None-Match": etag})
    assert response.status_code == 404


def test_hidden_ideas_picture_is_never_stored_by_a_cache(app, client):
    author = make_user()
    _idea, url = _idea_with_picture(author, hidden=True)
    assert client.get(url).status_code == 404
    for reader in (author, make_user(role=Role.MODERATOR)):
        login(client, reader)
        response = client.get(url)
        assert response.status_code == 200
        assert response.headers["Cache-Control"] == "private, no-store"
        client.post("/logout")
    login(client, make_user())
    assert client.get(url).status_code == 404
