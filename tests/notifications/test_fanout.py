"""Events reach the people who follow, never the one who acted, once each, in their language,
in a bounded number of statements however many follow."""

import pytest
from sqlalchemy import event, func, insert, select

from app.accounts.models import Role, User
from app.accounts.services import reject_organisation, verify_organisation
from app.comments.services import post_comment
from app.extensions import db
from app.ideas import services as idea_services
from app.ideas.models import IdeaStatus
from app.notifications.fanout import fan_out, followers_of
from app.notifications.models import Follow, Notice, NoticePreference, OutboxMessage
from app.portfolio import answers
from app.portfolio import services as portfolio_services
from tests.factories import make_organisation, make_service_area, make_user
from tests.portfolio.conftest import make_idea, make_project


@pytest.fixture
def manager(app) -> User:
    return make_user(role=Role.PORTFOLIO_MANAGER, name="Per Porteføljesen")


def follow(user, target_type, target_id):
    db.session.add(Follow(user_id=user.id, target_type=target_type, target_id=target_id))
    db.session.commit()


def notices(kind: str | None = None) -> list[Notice]:
    stmt = select(Notice).order_by(Notice.user_id)
    if kind:
        stmt = stmt.where(Notice.kind == kind)
    return list(db.session.scalars(stmt))


def told(kind: str) -> list[int]:
    return [n.user_id for n in notices(kind)]


def test_a_project_update_reaches_followers_of_the_project_and_of_its_ideas_once_each(app, manager):
    author, project_fan, idea_fan, both, stranger = (make_user() for _ in range(5))
    idea = make_idea(author=author, status=IdeaStatus.ACCEPTED)
    project = make_project("Trygg skolevei", ideas=(idea,))
    follow(project_fan, "project", project.id)
    follow(idea_fan, "idea", idea.id)
    follow(both, "project", project.id)
    follow(both, "idea", idea.id)      # follows the project and voted the idea: one notice
    follow(author, "idea", idea.id)    # the author hears as the author, not twice
    follow(manager, "project", project.id)
    portfolio_services.post_project_update(manager, project, "Fortauet er asfaltert.", 40)
    assert told("portfolio.update") == [author.id]
    assert sorted(told("follows.project_update")) == sorted([project_fan.id, idea_fan.id, both.id])
    assert stranger.id not in told("follows.project_update") and manager.id not in told("follows.project_update")
    body = notices("follows.project_update")[0]
    assert "Fortauet er asfaltert." in body.body and "Framdrift: 40 %" in body.body
    assert body.subject == "Nytt fra prosjektet «Trygg skolevei»"


def test_an_update_on_an_internal_project_tells_no_follower(app, manager):
    staff_fan = make_user(role=Role.PORTFOLIO_MANAGER)
    project = make_project(public=False)
    follow(staff_fan, "project", project.id)
    portfolio_services.post_project_update(manager, project, "Intern status.", None)
    assert notices() == []


def test_a_status_change_reaches_the_ideas_followers_and_the_author_once(app, manager):
    author, fan = make_user(), make_user()
    idea = make_idea(author=author, title="Benker langs elva")
    follow(author, "idea", idea.id)
    follow(fan, "idea", idea.id)
    follow(manager, "idea", idea.id)
    answers.change_idea_status(manager, idea, IdeaStatus.UNDER_REVIEW, "Vi ser på det.")
    assert told("portfolio.status") == [author.id]
    assert told("follows.idea_status") == [fan.id]
    notice = notices("follows.idea_status")[0]
    assert notice.subject == "Ny status på «Benker langs elva»: Til vurdering"
    assert "Vi ser på det." in notice.body


def test_a_phase_change_is_told_once_to_someone_following_both_project_and_idea(app, manager):
    if not hasattr(portfolio_services, "change_project_phase"):
        pytest.skip("the lifecycle's phase changes are not in this tree")
    from app.portfolio.models import ProjectPhase

    author, fan, project_fan = make_user(), make_user(), make_user()
    idea = make_idea(author=author, status=IdeaStatus.ACCEPTED)
    project = make_project(ideas=(idea,))
    follow(fan, "idea", idea.id)
    follow(fan, "project", project.id)
    follow(project_fan, "project", project.id)
    portfolio_services.change_project_phase(manager, project, ProjectPhase.PLANNED)
    per_person = {}
    for notice in notices():
        per_person.setdefault(notice.user_id, []).append(notice.kind)
    assert len(per_person[fan.id]) == 1
    assert per_person[project_fan.id] == ["follows.project_phase"]
    assert manager.id not in per_person


def test_a_new_idea_reaches_the_followers_of_its_area_and_organisation_once(app):
    area = make_service_area("Vei og trafikk")
    member, area_fan, org_fan, both = (make_user() for _ in range(4))
    organisation = make_organisation(admin=member, name="Vellaget")
    follow(area_fan, "service_area", area.id)
    follow(org_fan, "organisation", organisation.id)
    follow(both, "service_area", area.id)
    follow(both, "organisation", organisation.id)
    follow(member, "service_area", area.id)
    idea_services.submit_idea(member, idea_services.IdeaInput(
        title="Fartsdumper i Storgata", body="Bilene kjører altfor fort forbi skolen her.",
        service_area_id=area.id, organisation_id=organisation.id))
    assert sorted(told("follows.area_idea")) == sorted([area_fan.id, both.id])
    assert told("follows.organisation_idea") == [org_fan.id]
    assert notices("follows.area_idea")[0].subject == "Ny idé i Vei og trafikk: «Fartsdumper i Storgata»"


def test_a_comment_tells_the_author_and_a_reply_tells_the_parents_author_not_the_writer(app):
    author, first, second = make_user(), make_user(name="Ola Svarsen"), make_user(name="Kari Kommentar")
    idea = make_idea(author=author, title="Mer lys i parken")
    top = post_comment(first, idea, "Godt forslag, det er mørkt der.")
    assert told("ideas.comment") == [author.id]
    post_comment(second, idea, "Enig med deg!", parent=top)
    assert told("comments.reply") == [first.id]
    assert told("ideas.comment") == [author.id, author.id]
    post_comment(author, idea, "Takk for støtten!", parent=top)   # the author replies: first hears
    assert told("comments.reply") == [first.id, first.id]
    assert "Kari Kommentar har svart på kommentaren din" in {n.subject for n in notices("comments.reply")}


def test_an_endorsement_tells_the_author(app):
    author, member = make_user(), make_user()
    organisation = make_organisation(admin=member, name="Idrettslaget")
    idea = make_idea(author=author, title="Ny ballbinge")
    idea_services.endorse_idea(member, idea.id, organisation.id)
    assert told("ideas.endorsed") == [author.id]
    assert notices("ideas.endorsed")[0].subject == "Idrettslaget støtter idéen din"


def test_verification_tells_the_members_not_the_moderator(app):
    moderator = make_user(role=Role.MODERATOR)
    admin, member = make_user(), make_user()
    pending = make_organisation(admin=admin, members=(member,), verified=False, name="Korpset")
    verify_organisation(moderator, pending)
    assert sorted(told("accounts.organisation_verified")) == sorted([admin.id, member.id])
    other = make_organisation(admin=admin, verified=False, name="Sjakklubben")
    reject_organisation(moderator, other, "Fant ikke organisasjonsnummeret.")
    notice = notices("accounts.organisation_rejected")[0]
    assert notice.user_id == admin.id and "Fant ikke organisasjonsnummeret." in notice.body


def test_each_person_reads_it_in_their_language(app, manager):
    nb, nn, en, unset = (make_user(locale=code) for code in ("nb", "nn", "en", None))
    idea = make_idea(status=IdeaStatus.ACCEPTED)
    project = make_project("Bibliotek", ideas=(idea,))
    for person in (nb, nn, en, unset):
        follow(person, "project", project.id)
    portfolio_services.post_project_update(manager, project, "Ferdig.", None)
    subjects = {n.user_id: n.subject for n in notices("follows.project_update")}
    assert subjects[nb.id] == subjects[unset.id] == "Nytt fra prosjektet «Bibliotek»"
    assert subjects[nn.id] == "Nytt frå prosjektet «Bibliotek»"
    assert subjects[en.id] == "News from the project “Bibliotek”"


# --- routing by preference ----------------------------------------------------------------


@pytest.mark.parametrize(("channel", "notice", "emailed", "mail"), [
    ("off", False, None, False),
    ("app", True, False, False),
    ("immediate", True, True, True),
    ("daily", True, False, False),
    ("weekly", True, False, False),
])
def test_the_fan_out_routes_by_the_persons_choice(app, manager, channel, notice, emailed, mail):
    fan = make_user()
    db.session.add(NoticePreference(user_id=fan.id, kind="followed_projects", channel=channel))
    project = make_project()
    follow(fan, "project", project.id)
    portfolio_services.post_project_update(manager, project, "Nytt.", None)
    rows = notices("follows.project_update")
    assert bool(rows) == notice
    if rows:
        assert rows[0].channel == channel
        assert (rows[0].emailed_at is not None) == emailed
    mails = db.session.scalars(select(OutboxMessage).where(OutboxMessage.to_address == fan.email)).all()
    assert bool(mails) == mail
    if mails:
        assert mails[0].list_unsubscribe and mails[0].html_body
        assert f"/portfolio/projects/{project.id}" in mails[0].body


def test_by_default_followers_wait_for_the_weekly_digest_and_authors_hear_at_once(app, manager):
    author, fan = make_user(), make_user()
    idea = make_idea(author=author, status=IdeaStatus.ACCEPTED)
    project = make_project(ideas=(idea,))
    follow(fan, "project", project.id)
    portfolio_services.post_project_update(manager, project, "Nytt.", None)
    assert notices("follows.project_update")[0].channel == "weekly"
    assert notices("portfolio.update")[0].channel == "immediate"
    assert [m.to_address for m in db.session.scalars(select(OutboxMessage))] == [author.email]


# --- scale --------------------------------------------------------------------------------


def _many_followers(project_id: int, count: int, immediate_every: int = 10) -> None:
    """`count` people following the project, every tenth wanting e-mail at once (rows in bulk)."""
    start = db.session.scalar(select(func.coalesce(func.max(User.id), 0))) + 1
    db.session.execute(insert(User), [
        {"id": start + i, "email": f"folger{start + i}@example.no", "full_name": f"Følger {i}",
         "password_hash": "x", "locale": ("nb", "nn", "en")[i % 3], "role": "resident",
         "session_token": f"t{start + i}", "is_blocked": False}
        for i in range(count)
    ])
    db.session.execute(insert(Follow), [
        {"user_id": start + i, "target_type": "project", "target_id": project_id} for i in range(count)
    ])
    db.session.execute(insert(NoticePreference), [
        {"user_id": start + i, "kind": "followed_projects", "channel": "immediate"}
        for i in range(0, count, immediate_every)
    ])
    db.session.commit()


def test_a_fan_out_to_2000_followers_takes_a_bounded_number_of_statements(app, manager):
    project = make_project("Stort prosjekt")
    _many_followers(project.id, 2000)
    db.session.expire_all()
    project = db.session.get(type(project), project.id)
    statements: list[str] = []

    def count(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        written = fan_out("follows.project_update", "follows_project_update",
                          followers_of("project", [project.id]), actor_id=manager.id,
                          url=f"/portfolio/projects/{project.id}", project=project,
                          update=type("U", (), {"text": "Nytt.", "progress": None})(), own=False)
        db.session.commit()
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    assert written == 2000
    # One INSERT ... SELECT of the notices, one SELECT of who gets e-mail now, one executemany of
    # their outbox rows (and what the commit itself sends): not one statement per person.
    assert len(statements) <= 6, statements
    assert db.session.scalar(select(func.count()).select_from(Notice)) == 2000
    assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 200
    by_locale = dict(db.session.execute(
        select(User.locale, func.count(func.distinct(Notice.subject))).join(Notice, Notice.user_id == User.id)
        .group_by(User.locale)).all())
    assert by_locale == {"nb": 1, "nn": 1, "en": 1}


@pytest.mark.parametrize("follows_own_idea", [True, False], ids=["following", "not following"])
def test_a_project_moving_an_idea_tells_its_author_as_the_author(app, manager, follows_own_idea):
    # No answer of staff tells the author when a project's phase moves the idea: the listener must.
    from app.portfolio.models import ProjectPhase

    author, fan = make_user(), make_user()
    idea = make_idea(author=author, title="Lys i lysløypa", status=IdeaStatus.ACCEPTED)
    project = make_project(ideas=(idea,))
    if follows_own_idea:
        follow(author, "idea", idea.id)
    follow(fan, "idea", idea.id)
    portfolio_services.change_project_phase(manager, project, ProjectPhase.PLANNED)
    mine = [n for n in notices() if n.user_id == author.id]
    assert [n.kind for n in mine] == ["portfolio.status"]
    assert mine[0].subject == "Kommunen har svart på idéen din: Planlagt"
    assert told("follows.idea_status") == [fan.id]
    assert manager.id not in {n.user_id for n in notices()}
