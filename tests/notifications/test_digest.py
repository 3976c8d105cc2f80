"""Digests: one e-mail per person with what waits for it, in their language, never an item twice."""

import re
import threading
from datetime import timedelta

import pytest
from sqlalchemy import event, func, select

from app.core.db import utcnow
from app.extensions import db
from app.notifications import kinds
from app.notifications.digest import MAX_ITEMS_PER_GROUP, send_digests
from app.notifications.mail import deliver_due
from app.notifications.models import Notice, NoticePreference, OutboxMessage
from tests.factories import make_user

SITE = "https://medvik.example"


@pytest.fixture(autouse=True)
def _site(app):
    app.config["SITE_URL"] = SITE


def waiting(user, kind="follows.project_update", channel=kinds.WEEKLY, url="/portfolio/projects/4",
            subject="Nytt fra prosjektet «Ny lekeplass»", minutes_ago=60, **fields) -> Notice:
    notice = Notice(user_id=user.id, kind=kind, subject=subject, body="...", url=url, channel=channel,
                    created_at=utcnow() - timedelta(minutes=minutes_ago), **fields)
    db.session.add(notice)
    db.session.commit()
    return notice


def label(group: str) -> str:
    return str(kinds.PREFERENCE_KINDS[group][1])


def test_one_mail_per_person_grouped_by_kind_with_absolute_links(app, smtp):
    kari = make_user(email="kari@example.no")
    waiting(kari, "follows.project_update", url="/portfolio/projects/4", subject="Nytt fra «Ny lekeplass»")
    waiting(kari, "follows.idea_status", url="/ideas/12", subject="«Benk ved fjorden» er planlagt")
    waiting(kari, "follows.idea_status", url="/ideas/13", subject="«Sykkelvei» er godtatt")

    assert send_digests("weekly") == (1, 3)
    deliver_due()
    [message] = smtp.messages
    assert message["Subject"] == "Ukens nytt fra Medvirk: 3 meldinger"
    text = message.get_body(preferencelist=("plain",)).get_content()
    html = message.get_body(preferencelist=("html",)).get_content()
    # Grouped: each group's heading once, its items under it, in the order of the preferences.
    assert text.index(label("followed_ideas")) < text.index("«Benk ved fjorden» er planlagt")
    assert text.index("«Sykkelvei» er godtatt") < text.index(label("followed_projects"))
    assert text.index(label("followed_projects")) < text.index("Nytt fra «Ny lekeplass»")
    assert html.count("<h2") == 2
    for path in ("/ideas/12", "/ideas/13", "/portfolio/projects/4"):
        assert f"{SITE}{path}" in text and f'href="{SITE}{path}"' in html
    for href in re.findall(r'href="([^"]+)"', html):
        assert href.startswith(SITE + "/"), href
    assert re.fullmatch(rf"<{re.escape(SITE)}/unsubscribe/[\w.-]+>", message["List-Unsubscribe"])
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    # A link per group too: stop e-mail about what I follow, keep the rest.
    assert len(re.findall(rf"{re.escape(SITE)}/unsubscribe/", text)) == 3  # two groups and the footer
    assert all(n.emailed_at is not None for n in db.session.scalars(select(Notice)))


def test_the_digest_is_in_the_persons_language(app, smtp):
    waiting(make_user(email="ola@example.no", locale="nn"))
    waiting(make_user(email="emma@example.no", locale="en"))
    assert send_digests("weekly") == (2, 2)
    deliver_due()
    langs = {m["To"]: re.search(r'<html lang="(\w+)"', m.get_body(preferencelist=("html",)).get_content()).group(1)
             for m in smtp.messages}
    assert langs == {"ola@example.no": "nn", "emma@example.no": "en"}


def test_only_what_is_routed_to_that_digest_and_not_yet_emailed(app):
    kari = make_user()
    weekly = waiting(kari, channel=kinds.WEEKLY)
    daily = waiting(kari, channel=kinds.DAILY)
    waiting(kari, channel=kinds.APP)
    waiting(kari, channel=kinds.IMMEDIATE, emailed_at=utcnow())
    waiting(kari, channel=kinds.WEEKLY, emailed_at=utcnow() - timedelta(days=7))  # last week's
    assert send_digests("daily") == (1, 1)
    assert send_digests("weekly") == (1, 1)
    db.session.expire_all()
    assert weekly.emailed_at is not None and daily.emailed_at is not None
    assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 2


def test_running_twice_sends_nothing_twice_and_the_command_says_what_it_did(app, runner, smtp):
    waiting(make_user())
    waiting(make_user())
    first = runner.invoke(args=["notifications", "digest", "weekly"])
    assert first.exit_code == 0, first.output
    assert "weekly digest: 2 people, 2 notices" in first.output
    second = runner.invoke(args=["notifications", "digest", "weekly"])
    assert "weekly digest: 0 people, 0 notices" in second.output
    assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 2
    assert runner.invoke(args=["notifications", "digest", "monthly"]).exit_code != 0


def test_people_are_taken_in_bounded_batches_at_a_fixed_cost_per_batch(app):
    people = [make_user() for _ in range(5)]
    for person in people:
        for _ in range(4):
            waiting(person)
    statements = []

    def count(conn, cursor, statement, *args):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        assert send_digests("weekly", batch_size=2) == (5, 20)
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    selects = [s for s in statements if s.lstrip().upper().startswith("SELECT")]
    updates = [s for s in statements if s.lstrip().upper().startswith("UPDATE")]
    # 3 batches: who is due, their notices, their preferences, the people; one UPDATE each;
    # and a last look that finds no one.
    assert len(updates) == 3
    assert len(selects) == 3 * 4 + 1


def test_a_long_list_is_cut_per_group_but_every_item_is_marked(app, smtp):
    kari = make_user(email="kari@example.no")
    for n in range(MAX_ITEMS_PER_GROUP + 3):
        waiting(kari, subject=f"Oppdatering {n}")
    assert send_digests("weekly") == (1, MAX_ITEMS_PER_GROUP + 3)
    deliver_due()
    text = smtp.bodies_to("kari@example.no")[0]
    assert "og 3 meldinger til under Meldinger" in text
    assert f"Oppdatering {MAX_ITEMS_PER_GROUP + 2}" not in text
    assert db.session.scalar(select(func.count()).where(Notice.emailed_at.is_(None))) == 0


def test_a_person_without_an_email_address_gets_no_mail_but_nothing_piles_up(app):
    waiting(make_user(email="oidc-123@medvirk.invalid"))
    assert send_digests("weekly") == (0, 1)
    assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 0
    assert db.session.scalar(select(func.count()).where(Notice.emailed_at.is_(None))) == 0


def test_the_digest_unsubscribe_header_stops_that_digest(app, client, smtp):
    kari = make_user(email="kari@example.no")
    waiting(kari)
    send_digests("weekly")
    deliver_due()
    url = smtp.messages[0]["List-Unsubscribe"][1:-1]
    response = client.post(url[len(SITE):], data={"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    channels = dict(db.session.execute(select(NoticePreference.kind, NoticePreference.channel)
                                       .where(NoticePreference.user_id == kari.id)).all())
    weekly_groups = {g for g, (default, _l, _h) in kinds.PREFERENCE_KINDS.items() if default == kinds.WEEKLY}
    assert channels == {group: kinds.APP for group in weekly_groups}


@pytest.mark.parametrize("runs", [2])
def test_two_runs_at_once_never_send_an_item_twice(app, backend, runs):
    if backend != "postgresql":
        pytest.skip("row locks (FOR UPDATE SKIP LOCKED) are PostgreSQL's; SQLite runs one writer at a time")
    people = [make_user() for _ in range(30)]
    for person in people:
        for _ in range(3):
            waiting(person)
    results, errors = [], []
    start = threading.Barrier(runs)

    def run():
        with app.app_context():
            try:
                start.wait()
                results.append(send_digests("weekly", batch_size=5))
            except Exception as exc:  # reported below
                errors.append(exc)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run) for _ in range(runs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sum(items for _people, items in results) == 90
    # Every notice in exactly one e-mail: the outbox holds as many mentions as there are notices.
    bodies = db.session.scalars(select(OutboxMessage.body)).all()
    assert sum(body.count("Nytt fra prosjektet") for body in bodies) == 90
    assert db.session.scalar(select(func.count()).where(Notice.emailed_at.is_(None))) == 0


def test_what_waits_for_a_digest_the_person_has_since_left_stays_in_the_app(app, client, smtp):
    kari = make_user(email="kari@example.no")
    project = waiting(kari, "follows.project_update")                 # followed_projects: weekly
    idea = waiting(kari, "follows.idea_status", url="/ideas/12")      # followed_ideas: weekly
    # Kari unsubscribes from e-mail about projects (the link in an earlier mail) before Monday.
    from app.notifications.unsubscribe import unsubscribe_url

    client.post(unsubscribe_url(kari.id, "followed_projects")[len(SITE):])
    assert send_digests("weekly") == (1, 1)
    deliver_due()
    text = smtp.bodies_to("kari@example.no")[0]
    assert "/ideas/12" in text and "/portfolio/projects/4" not in text
    db.session.expire_all()
    assert (project.channel, project.emailed_at) == (kinds.APP, None)  # still under Meldinger
    assert idea.emailed_at is not None
    assert send_digests("weekly") == (0, 0)
