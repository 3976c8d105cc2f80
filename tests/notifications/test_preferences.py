"""Preferences: per group of notices a channel (in the app, at once, daily, weekly, off), the
auto-follow switches, and notify() routing by them."""

import pytest
from sqlalchemy import select

from app.core.errors import InvalidInput
from app.extensions import db
from app.notifications import kinds, services
from app.notifications.models import Notice, NoticePreference, OutboxMessage
from tests.factories import login, make_user
from tests.portfolio.conftest import make_idea, make_project


def stored(user) -> dict:
    return dict(db.session.execute(select(NoticePreference.kind, NoticePreference.channel)
                                   .where(NoticePreference.user_id == user.id)).all())


def test_defaults_are_at_once_for_my_own_things_and_weekly_for_what_i_follow(app):
    channels, switches = services.preferences_of(make_user())
    assert channels == {"own_idea": "immediate", "replies": "immediate", "followed_ideas": "weekly",
                        "followed_projects": "weekly", "followed_areas": "weekly",
                        "organisation": "immediate", "own_initiatives": "immediate",
                        "signed_initiatives": "immediate", "moderation": "immediate"}
    assert switches == {"auto_follow.propose": True, "auto_follow.vote": True, "auto_follow.comment": True}


@pytest.mark.parametrize(("channel", "has_notice", "mailed", "emailed_at"), [
    ("off", False, False, None),
    ("app", True, False, False),
    ("immediate", True, True, True),
    ("daily", True, False, False),
    ("weekly", True, False, False),
])
def test_notify_routes_by_the_persons_choice(app, channel, has_notice, mailed, emailed_at):
    person = make_user()
    channels, switches = services.preferences_of(person)
    services.save_preferences(person, {**channels, "moderation": channel}, switches)
    notice = services.notify(person, "moderation.unblocked", "moderation_unblocked", url="/profile")
    db.session.commit()
    assert (notice is not None) == has_notice
    rows = db.session.scalars(select(Notice).where(Notice.user_id == person.id)).all()
    assert len(rows) == int(has_notice)
    if rows:
        assert rows[0].channel == channel
        assert (rows[0].emailed_at is not None) == emailed_at
    mail = db.session.scalars(select(OutboxMessage).where(OutboxMessage.to_address == person.email)).all()
    assert bool(mail) == mailed
    if mail:
        assert "http://medvirk.test/profile" in mail[0].body
        assert mail[0].list_unsubscribe and "/unsubscribe" in mail[0].list_unsubscribe


def test_a_kind_outside_every_group_is_sent_at_once(app):
    assert kinds.default_channel("something.new") == "immediate"
    assert kinds.group_of("something.new") is None


def test_every_kind_sent_today_belongs_to_a_group(app):
    import pathlib
    import re

    root = pathlib.Path(app.root_path)
    sent = set()
    for path in root.rglob("*.py"):
        sent |= set(re.findall(r'notify\(\s*[\w.]+,\s*"([a-z_]+\.[a-z_]+)"', path.read_text(encoding="utf-8")))
        sent |= set(re.findall(r'_notify\(\s*\w+,\s*"([a-z_]+\.[a-z_]+)"', path.read_text(encoding="utf-8")))
        sent |= set(re.findall(r'fan_out\(\s*"([a-z_]+\.[a-z_]+)"', path.read_text(encoding="utf-8")))
    assert sent and sent <= set(kinds.KIND_GROUPS), sent - set(kinds.KIND_GROUPS)


def test_an_unknown_channel_is_refused_and_nothing_is_saved(app):
    person = make_user()
    channels, switches = services.preferences_of(person)
    with pytest.raises(InvalidInput) as error:
        services.save_preferences(person, {**channels, "replies": "hourly"}, switches)
    assert error.value.fields == {"replies": ["Velg et av valgene."]}
    assert stored(person) == {}


# --- the page -----------------------------------------------------------------------------


def form(channels: dict, switches: tuple[str, ...] = ()) -> dict:
    data = {f"channel-{group}": channel for group, channel in channels.items()}
    data.update({switch: "on" for switch in switches})
    return data


def test_the_page_shows_a_radio_group_per_kind_and_saves_with_a_confirmation(client, app):
    person = make_user()
    login(client, person)
    page = client.get("/messages/settings").get_data(as_text=True)
    assert page.count('<fieldset class="ds-fieldset"') == len(kinds.PREFERENCE_KINDS) + 1
    assert "<legend" in page and "Prosjekter jeg følger" in page and "Ukentlig samlet e-post" in page
    assert 'id="channel-followed_projects-weekly" value="weekly" checked' in page
    channels, _ = services.preferences_of(person)
    response = client.post("/messages/settings", data=form({**channels, "followed_projects": "daily"},
                                                         ("auto_follow.propose",)), follow_redirects=True)
    assert "Innstillingene for meldinger er lagret." in response.get_data(as_text=True)
    saved = stored(person)
    assert saved["followed_projects"] == "daily"
    assert saved["auto_follow.propose"] == "on" and saved["auto_follow.vote"] == "off"


@pytest.mark.parametrize("value", ["hourly", "", "immediate\x00", "x" * 5000])
def test_the_page_rejects_an_invalid_value_next_to_its_group_and_keeps_the_rest(client, app, value):
    person = make_user()
    login(client, person)
    channels, _ = services.preferences_of(person)
    response = client.post("/messages/settings",
                           data=form({**channels, "own_idea": "app", "replies": value}))
    page = response.get_data(as_text=True)
    assert response.status_code in (400, 422)
    if response.status_code == 422:
        assert 'id="channel-replies-error">Velg et av valgene.' in page
        assert 'id="channel-own_idea-app" value="app" checked' in page  # what was chosen is kept
    assert stored(person) == {}


def test_the_page_lists_what_i_follow_and_unfollows_from_there(client, app):
    from app.notifications import follows

    person = make_user()
    idea, project = make_idea(title="Lekeplass på Nordbyen"), make_project("Ny skole")
    follows.follow(person, "idea", idea.id)
    follows.follow(person, "project", project.id)
    login(client, person)
    page = client.get("/messages/settings").get_data(as_text=True)
    assert "Lekeplass på Nordbyen" in page and "Ny skole" in page
    response = client.post(f"/unfollow/idea/{idea.id}", data={"next": "/messages/settings"},
                           follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "Du følger ikke lenger dette." in page and "Lekeplass på Nordbyen" not in page


def test_the_page_is_linked_from_the_messages_and_the_profile(client, app):
    login(client, make_user())
    assert 'href="/messages/settings"' in client.get("/messages").get_data(as_text=True)
    assert 'href="/messages/settings"' in client.get("/profile").get_data(as_text=True)


def test_a_visitor_is_sent_to_log_in(client, app):
    response = client.get("/messages/settings")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_two_saves_at_once_both_succeed_and_the_result_is_one_of_them_whole(app):
    import threading

    from app.accounts.models import User

    person = make_user()
    person_id = person.id
    channels, _ = services.preferences_of(person)
    choices = [{group: channel for group in channels} for channel in ("daily", "app")]
    errors, barrier = [], threading.Barrier(2)

    def save(choice):
        with app.app_context():
            try:
                barrier.wait()
                services.save_preferences(db.session.get(User, person_id), choice, {})
            except Exception as error:
                errors.append(error)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=save, args=(choice,)) for choice in choices]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert all("locked" in str(e) for e in errors)  # SQLite may refuse a second writer; never a key error
    saved = {kind: channel for kind, channel in stored(person).items() if kind in channels}
    assert saved in choices
