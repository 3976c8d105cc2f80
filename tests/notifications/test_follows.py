"""Following: one row per person and target, visible targets only, over the page, the API and
the auto-follow when taking part."""

import threading

import pytest
from sqlalchemy import func, select

from app.accounts.models import Role
from app.core.errors import NotAuthenticated, NotFound
from app.extensions import db
from app.ideas import services as idea_services
from app.ideas.models import IdeaStatus, Visibility
from app.notifications import follows, services
from app.notifications.models import Follow
from tests.factories import login, make_organisation, make_service_area, make_user
from tests.portfolio.conftest import make_idea, make_project


def follow_count(user=None) -> int:
    stmt = select(func.count()).select_from(Follow)
    if user is not None:
        stmt = stmt.where(Follow.user_id == user.id)
    return db.session.scalar(stmt)


def test_following_twice_leaves_one_row_and_unfollowing_twice_is_harmless(app):
    person, idea = make_user(), make_idea()
    follows.follow(person, "idea", idea.id)
    follows.follow(person, "idea", idea.id)
    assert follow_count(person) == 1
    assert follows.is_following(person, "idea", idea.id)
    follows.unfollow(person, "idea", idea.id)
    follows.unfollow(person, "idea", idea.id)
    assert follow_count(person) == 0


def test_each_kind_of_target_can_be_followed_and_is_listed(app):
    person = make_user()
    idea, project = make_idea(title="Benker i parken"), make_project("Ny park")
    area, organisation = make_service_area("Park og friluft"), make_organisation(name="Parkvennene")
    for kind, target in (("idea", idea), ("project", project), ("service_area", area),
                         ("organisation", organisation)):
        follows.follow(person, kind, target.id)
    listed = {(t.type, t.title) for t in follows.follows_of(person)}
    assert listed == {("idea", "Benker i parken"), ("project", "Ny park"),
                      ("service_area", "Park og friluft"), ("organisation", "Parkvennene")}


@pytest.mark.parametrize("case", ["missing idea", "hidden idea", "internal project", "retired area",
                                  "unknown type", "huge id", "missing organisation"])
def test_a_target_the_resident_cannot_see_cannot_be_followed(app, case):
    from app.core.db import utcnow

    person = make_user()
    target_type, target_id = {
        "missing idea": lambda: ("idea", 999_999),
        "hidden idea": lambda: ("idea", make_idea(visibility=Visibility.HIDDEN).id),
        "internal project": lambda: ("project", make_project(public=False).id),
        "retired area": lambda: ("service_area", make_service_area(name=None).id),
        "unknown type": lambda: ("users", person.id),
        "huge id": lambda: ("idea", 2**40),
        "missing organisation": lambda: ("organisation", 424242),
    }[case]()
    if case == "retired area":
        from app.core.models import ServiceArea

        db.session.get(ServiceArea, target_id).retired_at = utcnow()
        db.session.commit()
    with pytest.raises(NotFound):
        follows.follow(person, target_type, target_id)
    assert follow_count() == 0


def test_staff_may_follow_an_internal_project_and_a_visitor_nothing(app):
    staff = make_user(role=Role.PORTFOLIO_MANAGER)
    project = make_project(public=False)
    follows.follow(staff, "project", project.id)
    assert follow_count(staff) == 1
    with pytest.raises(NotAuthenticated):
        follows.follow(None, "project", project.id)


def test_two_follows_at_once_leave_one_row(app, backend):
    """Two requests of the same person at once: the unique constraint settles it, no error."""
    person, idea = make_user(), make_idea()
    person_id, idea_id = person.id, idea.id
    errors, barrier = [], threading.Barrier(4)

    def press():
        with app.app_context():
            try:
                barrier.wait()
                follows.follow(db.session.get(type(person), person_id), "idea", idea_id)
            except Exception as error:
                errors.append(error)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=press) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == [] or (backend == "sqlite" and all("locked" in str(e) for e in errors))
    assert follow_count(person) == 1


def test_proposing_voting_and_commenting_follow_the_idea_unless_switched_off(app):
    from app.comments.services import post_comment

    author, voter, commenter, quiet = make_user(), make_user(), make_user(), make_user()
    area = make_service_area()
    idea = idea_services.submit_idea(author, idea_services.IdeaInput(
        title="Lys i lysløypa", body="Lysløypa er mørk om kvelden, vi trenger lys.", service_area_id=area.id))
    idea_services.vote_for_idea(voter, idea.id)
    post_comment(commenter, idea, "Helt enig, det er mørkt.")
    channels, _switches = services.preferences_of(quiet)
    services.save_preferences(quiet, channels, {"auto_follow.propose": True, "auto_follow.comment": True})
    idea_services.vote_for_idea(quiet, idea.id)
    followers = set(db.session.scalars(select(Follow.user_id).where(Follow.target_id == idea.id)))
    assert followers == {author.id, voter.id, commenter.id}


# --- pages and API ------------------------------------------------------------------------


def test_the_follow_button_follows_and_unfollows_and_comes_back(client, app):
    person = make_user()
    idea = make_idea(title="Sykkelvei til skolen", status=IdeaStatus.SUBMITTED)
    login(client, person)
    page = client.get(f"/ideas/{idea.id}").get_data(as_text=True)
    assert f'action="/follow/idea/{idea.id}"' in page and "Følg" in page
    response = client.post(f"/follow/idea/{idea.id}", data={"next": f"/ideas/{idea.id}"})
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/ideas/{idea.id}")
    page = client.get(f"/ideas/{idea.id}").get_data(as_text=True)
    assert "Du følger nå «Sykkelvei til skolen»" in page
    assert f'action="/unfollow/idea/{idea.id}"' in page and "Slutt å følge" in page
    client.post(f"/unfollow/idea/{idea.id}", data={"next": "https://evil.example/"})
    assert follow_count(person) == 0


def test_the_pages_show_the_button_where_the_target_is(client, app):
    person = make_user()
    login(client, person)
    project, organisation, area = make_project(), make_organisation(), make_service_area()
    assert f"/follow/project/{project.id}" in client.get(f"/portfolio/projects/{project.id}").get_data(as_text=True)
    assert f"/follow/organisation/{organisation.id}" in client.get(
        f"/organisations/{organisation.id}").get_data(as_text=True)
    assert f"/follow/service_area/{area.id}" in client.get(
        f"/ideas?service_area={area.id}").get_data(as_text=True)


def test_a_visitor_is_asked_to_log_in_and_cannot_post(client, app):
    idea = make_idea()
    assert "Logg inn for å følge" in client.get(f"/ideas/{idea.id}").get_data(as_text=True)
    response = client.post(f"/follow/idea/{idea.id}")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert follow_count() == 0


@pytest.mark.parametrize("path", ["/follow/idea/999999", "/follow/nothing/1", "/follow/idea/-1",
                                  "/follow/idea/99999999999999"])
def test_following_what_is_not_there_is_404(client, app, path):
    login(client, make_user())
    assert client.post(path).status_code == 404


def test_a_hidden_idea_and_an_internal_project_are_404_for_a_resident(client, app):
    login(client, make_user())
    hidden, internal = make_idea(visibility=Visibility.HIDDEN), make_project(public=False)
    assert client.post(f"/follow/idea/{hidden.id}").status_code == 404
    assert client.post(f"/follow/project/{internal.id}").status_code == 404
    assert follow_count() == 0


def test_the_api_follows_with_put_and_stops_with_delete(client, app):
    person, project = make_user(), make_project("Nytt bibliotek")
    login(client, person)
    first = client.put(f"/api/v1/follows/project/{project.id}")
    again = client.put(f"/api/v1/follows/project/{project.id}")
    assert first.status_code == again.status_code == 200
    assert first.get_json()["target"]["title"] == "Nytt bibliotek"
    assert client.get("/api/v1/follows").get_json()["items"][0]["id"] == project.id
    assert client.delete(f"/api/v1/follows/project/{project.id}").status_code == 204
    assert client.delete(f"/api/v1/follows/project/{project.id}").status_code == 204
    assert follow_count() == 0
    assert client.put("/api/v1/follows/project/4040404").status_code == 404
    assert client.put(f"/api/v1/follows/project/{make_project(public=False).id}").status_code == 404


def test_the_api_needs_a_person(client, app):
    assert client.put(f"/api/v1/follows/idea/{make_idea().id}").status_code == 401


def test_the_followers_of_a_merged_idea_follow_the_idea_it_went_into(app):
    from app.portfolio import answers

    manager = make_user(role=Role.PORTFOLIO_MANAGER)
    fan, fan_of_both = make_user(), make_user()
    idea, into = make_idea(), make_idea()
    follows.follow(fan, "idea", idea.id)
    follows.follow(fan_of_both, "idea", idea.id)
    follows.follow(fan_of_both, "idea", into.id)
    answers.merge_ideas(manager, idea, into, "Samme forslag som det andre.")
    into_followers = set(db.session.scalars(select(Follow.user_id).where(
        Follow.target_type == "idea", Follow.target_id == into.id)))
    assert into_followers == {fan.id, fan_of_both.id}
    assert follows.is_following(fan, "idea", idea.id)  # still follows the merged one, too
