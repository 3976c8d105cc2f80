"""Moderators scoped to a municipal area: their queue, counts and log hold the reports on their
area's ideas and the comments on them; another area's item is not theirs to hide (403), and
another area's hidden item is as hidden to them as to a visitor (404). Admins moderate all."""

import itertools

import pytest
from sqlalchemy import select

from app.accounts import services as accounts
from app.accounts.models import Role, User
from app.comments.models import Comment, CommentVisibility
from app.core.errors import NotAllowed, NotFound
from app.extensions import db
from app.ideas.models import Idea, Visibility
from app.moderation import queries, services
from app.moderation.models import ModerationCase
from tests.factories import login, make_service_area, make_user


def idea_in(service_area, title: str, visibility: Visibility = Visibility.VISIBLE) -> Idea:
    idea = Idea(title=title, body="Et forslag fra en innbygger i kommunen.", author_id=make_user().id,
                service_area_id=service_area.id, visibility=visibility)
    db.session.add(idea)
    db.session.commit()
    return idea


def comment_on(idea: Idea, body: str) -> Comment:
    comment = Comment(idea_id=idea.id, author_id=make_user().id, body=body,
                      visibility=CommentVisibility.VISIBLE)
    db.session.add(comment)
    idea.comment_count = (idea.comment_count or 0) + 1
    db.session.commit()
    return comment


@pytest.fixture
def town(app) -> dict:
    health = make_service_area("Hjemmetjenester", area_name="Helse og velferd")
    school = make_service_area("Grunnskole", area_name="Oppvekst og utdanning")
    health_idea = idea_in(health, "Kjøp billige piller her")
    school_idea = idea_in(school, "Selger brukte sykler billig")
    health_comment = comment_on(health_idea, "Du er en idiot, helsesøster")
    school_comment = comment_on(school_idea, "Rektor er en idiot")
    for kind, item in (("idea", health_idea), ("idea", school_idea),
                       ("comment", health_comment), ("comment", school_comment)):
        services.report_content(make_user(), kind, item.id, "spam")
    moderator = make_user("Mona Moderator", role=Role.MODERATOR)
    accounts.set_user_areas(None, moderator, [health.municipal_area_id])
    return {"health": health, "school": school, "health_idea": health_idea, "school_idea": school_idea,
            "health_comment": health_comment, "school_comment": school_comment, "moderator": moderator}


def test_the_queue_and_its_counts_hold_the_moderators_area_only(client, town):
    moderator = town["moderator"]
    login(client, moderator)
    html = client.get("/moderation").get_data(as_text=True)
    assert "Kjøp billige piller her" in html and "Du er en idiot, helsesøster" in html
    assert "Selger brukte sykler billig" not in html and "Rektor er en idiot" not in html
    assert queries.waiting_count(moderator) == 2
    assert queries.waiting_by_state(moderator)["open"] == 2
    assert 'Moderering<span class="nav-count"><span class="ds-sr-only">, </span>2' in html
    admin = make_user(role=Role.ADMIN)
    assert queries.waiting_count(admin) == 4
    assert queries.queue_page(queries.QueueFilters(), 1, 20, admin).total == 4


def test_another_areas_visible_item_is_not_the_moderators_to_hide(client, town):
    login(client, town["moderator"])
    idea = town["school_idea"]
    response = client.get(f"/moderation/idea/{idea.id}")
    assert response.status_code == 403
    assert "Innholdet hører til et annet kommunalområde enn ditt." in response.get_data(as_text=True)
    response = client.post(f"/moderation/idea/{idea.id}", data={"decision": "hide", "reason": "spam"})
    assert response.status_code == 403
    response = client.post(f"/moderation/comment/{town['school_comment'].id}",
                           data={"decision": "hide", "reason": "offensive"})
    assert response.status_code == 403
    db.session.expire_all()
    assert idea.visibility == Visibility.VISIBLE
    assert town["school_comment"].visibility == CommentVisibility.VISIBLE
    # Their own area's: hidden at once.
    response = client.post(f"/moderation/idea/{town['health_idea'].id}", data={"decision": "hide", "reason": "spam"})
    assert response.status_code == 302
    db.session.expire_all()
    assert town["health_idea"].visibility == Visibility.HIDDEN


def test_the_moderator_links_under_ideas_and_comments_are_for_their_area(client, town):
    login(client, town["moderator"])
    own = client.get(f"/ideas/{town['health_idea'].id}").get_data(as_text=True)
    assert "Skjul idéen (moderator)" in own
    other = client.get(f"/ideas/{town['school_idea'].id}").get_data(as_text=True)
    assert "Skjul idéen (moderator)" not in other and "(moderator)" not in other


def test_another_areas_hidden_idea_is_hidden_from_the_moderator_as_from_a_visitor(client, town):
    admin = make_user(role=Role.ADMIN)
    services.moderate_item(admin, "idea", town["school_idea"].id, "hide", "spam")
    services.moderate_item(admin, "idea", town["health_idea"].id, "hide", "spam")
    login(client, town["moderator"])
    assert client.get(f"/moderation/idea/{town['school_idea'].id}").status_code == 404
    assert client.post(f"/moderation/idea/{town['school_idea'].id}",
                       data={"decision": "restore", "reason": "no_violation"}).status_code == 404
    other = client.get(f"/ideas/{town['school_idea'].id}")
    assert "Selger brukte sykler billig" not in other.get_data(as_text=True)
    own = client.get(f"/ideas/{town['health_idea'].id}").get_data(as_text=True)
    assert "Kjøp billige piller her" in own
    db.session.expire_all()
    assert town["school_idea"].visibility == Visibility.HIDDEN


def test_a_bulk_decision_skips_another_areas_cases(client, town):
    cases = {c.target_id: c.id for c in db.session.scalars(select(ModerationCase))
             if c.target_type == "idea"}
    login(client, town["moderator"])
    response = client.post("/moderation/decide", data={
        "case_ids": [str(cases[town["health_idea"].id]), str(cases[town["school_idea"].id])],
        "decision": "hide", "reason": "spam", "next": "/moderation"}, follow_redirects=True)
    html = response.get_data(as_text=True)
    assert "1 sak er avgjort" in html
    assert "1 sak ble hoppet over: Innholdet hører til et annet kommunalområde enn ditt." in html
    db.session.expire_all()
    assert town["health_idea"].visibility == Visibility.HIDDEN
    assert town["school_idea"].visibility == Visibility.VISIBLE


def test_the_log_shows_the_areas_items_and_every_row_about_people(client, town):
    admin = make_user(role=Role.ADMIN)
    services.moderate_item(admin, "comment", town["school_comment"].id, "hide", "offensive", "Skolesak")
    services.moderate_item(admin, "comment", town["health_comment"].id, "hide", "offensive", "Helsesak")
    person = make_user("Ola Blokkert")
    services.block_person(admin, person, "Trakassering")
    login(client, town["moderator"])
    html = client.get("/moderation/log").get_data(as_text=True)
    assert "Helsesak" in html and "Skolesak" not in html and "Ola Blokkert" in html
    csv = client.get("/moderation/log.csv").get_data(as_text=True)
    assert "Helsesak" in csv and "Skolesak" not in csv


def test_services_refuse_another_areas_item_whatever_calls_them(town):
    moderator = town["moderator"]
    with pytest.raises(NotAllowed, match="annet kommunalområde"):
        services.moderate_item(moderator, "comment", town["school_comment"].id, "hide", "offensive")
    with pytest.raises(NotAllowed):
        services.get_item_to_moderate(moderator, "idea", town["school_idea"].id)
    services.moderate_item(make_user(role=Role.ADMIN), "idea", town["school_idea"].id, "hide", "spam")
    with pytest.raises(NotFound):
        services.moderate_item(moderator, "idea", town["school_idea"].id, "restore", "no_violation")


def test_cli_decisions_as_a_scoped_moderator_are_refused(runner, town):
    result = runner.invoke(args=["moderation", "hide", "idea", str(town["school_idea"].id),
                                 "--as", town["moderator"].email, "--reason", "spam"])
    assert result.exit_code != 0
    assert "annet kommunalområde" in result.output
    result = runner.invoke(args=["moderation", "hide", "idea", str(town["health_idea"].id),
                                 "--as", town["moderator"].email, "--reason", "spam"])
    assert result.exit_code == 0, result.output


def test_an_unscoped_moderator_and_an_admin_moderate_every_area(town):
    unscoped, admin = make_user(role=Role.MODERATOR), make_user(role=Role.ADMIN)
    services.moderate_item(unscoped, "comment", town["school_comment"].id, "hide", "offensive")
    services.moderate_item(admin, "idea", town["school_idea"].id, "dismiss", "no_violation")
    db.session.expire_all()
    assert town["school_comment"].visibility == CommentVisibility.HIDDEN
    assert queries.waiting_count(unscoped) == 2 and queries.waiting_count(town["moderator"]) == 2
    assert db.session.get(User, town["moderator"].id).areas  # the scoped one still is


_grown = itertools.count(1)


def _grow(n: int, town) -> None:
    """n reported and n hidden items in each area, across several service areas of each."""
    admin = make_user(role=Role.ADMIN)
    for _ in range(n):
        i = next(_grown)
        for area_name in ("Helse og velferd", "Oppvekst og utdanning"):
            idea = idea_in(make_service_area(f"Tjeneste {area_name} {i}", area_name=area_name), f"Idé {i}")
            comment = comment_on(idea, f"Kommentar {i}")
            services.report_content(make_user(), "idea", idea.id, "spam")
            services.moderate_item(admin, "comment", comment.id, "hide", "offensive", "Skjult")
            hidden_on_own = comment_on(town["health_idea"], f"Stygt {area_name} {i}")
            services.moderate_item(admin, "comment", hidden_on_own.id, "hide", "offensive")


@pytest.mark.parametrize("path", ["/moderation", "/moderation?state=all", "/moderation/log",
                                  "/ideas/{idea}"])
def test_scoped_moderator_pages_cost_the_same_queries_for_more_rows(client, town, path):
    from tests.portfolio.conftest import count_queries

    login(client, town["moderator"])
    url = path.format(idea=town["health_idea"].id)
    _grow(2, town)
    client.get(url)
    with count_queries() as small:
        assert client.get(url).status_code == 200
    _grow(6, town)
    client.get(url)
    with count_queries() as large:
        assert client.get(url).status_code == 200
    assert large.count == small.count, large.statements[small.count:]
