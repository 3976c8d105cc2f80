"""The rules of ideas, votes and endorsements, without HTTP."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.core.db import utcnow
from app.core.errors import InvalidInput, InvalidState, NotAllowed, NotAuthenticated
from app.extensions import db
from app.ideas import services
from app.ideas.images import store_image
from app.ideas.models import Idea, IdeaStatus, StatusChange, Visibility, Vote
from app.ideas.services import IdeaInput, ImageInput
from tests.factories import make_organisation, make_service_area, make_user
from tests.ideas.factories import counts, image_bytes, make_idea

BODY = "Skoleveien mangler fortau på den siste strekningen ned mot skolen."


def _input(service_area=None, **changes) -> IdeaInput:
    data = {
        "title": "Tryggere skoleveier i Nordbygda",
        "body": BODY,
        "service_area_id": (service_area or make_service_area()).id,
        "sdgs": [3, 11],
        "place": "Nordbygda",
    }
    data.update(changes)
    return IdeaInput(**data)


# --- proposing ---------------------------------------------------------------------------------


def test_resident_can_propose_an_idea_that_is_published_at_once(app):
    author = make_user("Ingrid Haugen-Berg")
    idea = services.submit_idea(author, _input())
    assert idea.status == IdeaStatus.SUBMITTED
    assert idea.visibility == Visibility.VISIBLE
    assert [goal.number for goal in idea.sdgs] == [3, 11]
    assert idea.place == "Nordbygda"
    assert idea.author_id == author.id
    assert idea.organisation_id is None
    assert (idea.vote_count, idea.comment_count, idea.endorsement_count) == (0, 0, 0)


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"title": "Vei"}, "title", "minst 5 tegn"),
        ({"title": "x" * 121}, "title", "høyst 120 tegn"),
        ({"body": "For kort."}, "body", "minst 20 tegn"),
        ({"body": "x" * 5001}, "body", "høyst 5000 tegn"),
        ({"service_area_id": None}, "service_area_id", "Velg hvilket tema"),
        ({"service_area_id": 999999}, "service_area_id", "Velg hvilket tema"),
        ({"sdgs": [1, 2, 3, 4]}, "sdgs", "høyst tre"),
        ({"sdgs": [18]}, "sdgs", "1 til 17"),
        ({"place": "p" * 201}, "place", "høyst 200 tegn"),
    ],
)
def test_resident_cannot_propose_content_that_breaks_a_rule(app, changes, field, words):
    with pytest.raises(InvalidInput) as caught:
        services.submit_idea(make_user(), _input(**changes))
    assert words in " ".join(caught.value.fields[field])
    assert db.session.scalar(select(func.count()).select_from(Idea)) == 0


def test_every_problem_is_reported_at_once(app):
    with pytest.raises(InvalidInput) as caught:
        services.submit_idea(make_user(), _input(title="Hm", body="kort", sdgs=[1, 2, 3, 4]))
    assert {"title", "body", "sdgs"} <= set(caught.value.fields)


def test_resident_cannot_pick_a_retired_service_area(app):
    service_area = make_service_area()
    service_area.retired_at = utcnow()
    db.session.commit()
    with pytest.raises(InvalidInput) as caught:
        services.submit_idea(make_user(), _input(service_area=service_area))
    assert "ikke i bruk" in caught.value.fields["service_area_id"][0]


@pytest.mark.parametrize(
    ("fields", "error"),
    [
        ({"confirmed": False}, NotAllowed),
        ({"is_blocked": True, "blocked_reason": "Spam"}, NotAllowed),
        ({"name_flagged_at": utcnow()}, NotAllowed),
    ],
)
def test_account_that_cannot_participate_cannot_propose(app, fields, error):
    with pytest.raises(error):
        services.submit_idea(make_user(**fields), _input())


def test_visitor_cannot_propose(app):
    with pytest.raises(NotAuthenticated):
        services.submit_idea(None, _input())


def test_member_of_verified_organisation_can_post_on_its_behalf(app):
    member = make_user()
    organisation = make_organisation(members=(member,))
    idea = services.submit_idea(member, _input(organisation_id=organisation.id))
    assert idea.organisation_id == organisation.id
    assert idea.author_id == member.id


def test_resident_cannot_post_on_behalf_of_an_organisation_they_are_not_member_of(app):
    organisation = make_organisation(admin=make_user(), name="Nordbygda vel")
    with pytest.raises(NotAllowed) as caught:
        services.submit_idea(make_user(), _input(organisation_id=organisation.id))
    assert "ikke medlem av Nordbygda vel" in caught.value.fields["organisation_id"][0]


def test_member_cannot_post_on_behalf_of_an_unverified_organisation(app):
    member = make_user()
    organisation = make_organisation(admin=member, verified=False, name="Nytt lag")
    with pytest.raises(NotAllowed) as caught:
        services.submit_idea(member, _input(organisation_id=organisation.id))
    assert "ikke verifisert" in caught.value.fields["organisation_id"][0]


def test_image_needs_alt_text_unless_marked_decorative(app):
    stored = store_image(image_bytes())
    with pytest.raises(InvalidInput) as caught:
        services.submit_idea(make_user(), _input(images=[ImageInput(image=stored, slot=2)]))
    assert "alt_2" in caught.value.fields
    idea = services.submit_idea(make_user(), _input(images=[ImageInput(image=stored, decorative=True, alt_text="x")]))
    assert idea.images[0].decorative and idea.images[0].alt_text == ""


def test_at_most_three_images(app):
    images = [ImageInput(image=store_image(image_bytes(colour=(i, 0, 0))), alt_text="Et bilde", slot=i)
              for i in range(1, 5)]
    with pytest.raises(InvalidInput) as caught:
        services.submit_idea(make_user(), _input(images=images))
    assert "images" in caught.value.fields


# --- editing and withdrawing --------------------------------------------------------------------


def test_author_can_edit_until_first_answer_and_the_idea_shows_it_was_edited(app):
    author = make_user()
    idea = make_idea(author, sdgs=(3,))
    assert idea.edited_at is None
    services.update_idea(author, idea, _input(title="Tryggere skoleveier overalt", service_area=idea.service_area, sdgs=[4]))
    assert idea.title == "Tryggere skoleveier overalt"
    assert [goal.number for goal in idea.sdgs] == [4]
    assert idea.edited_at is not None


def test_saving_without_changes_does_not_mark_the_idea_edited(app):
    author = make_user()
    idea = make_idea(author, title="Tryggere skoleveier i Nordbygda", sdgs=(3, 11), place="Nordbygda")
    services.update_idea(author, idea, _input(service_area=idea.service_area, body=idea.body))
    assert idea.edited_at is None


def test_resident_cannot_edit_someone_elses_idea(app):
    idea = make_idea()
    with pytest.raises(NotAllowed):
        services.update_idea(make_user(), idea, _input(service_area=idea.service_area))


def test_author_cannot_edit_after_staff_first_answered(app):
    author = make_user()
    idea = make_idea(author)
    idea.first_answered_at = utcnow()
    db.session.commit()
    with pytest.raises(InvalidState):
        services.update_idea(author, idea, _input(service_area=idea.service_area))


def test_author_cannot_edit_a_hidden_idea(app):
    author = make_user()
    idea = make_idea(author, hidden=True)
    with pytest.raises(InvalidState):
        services.update_idea(author, idea, _input(service_area=idea.service_area))


def test_author_keeps_removes_and_adds_images_when_editing(app):
    author = make_user()
    first, second = store_image(image_bytes(colour=(1, 2, 3))), store_image(image_bytes(colour=(4, 5, 6)))
    idea = make_idea(author, images=[ImageInput(image=first, alt_text="Første", slot=1),
                                     ImageInput(image=second, alt_text="Andre", slot=2)])
    kept_id = idea.images[1].id
    third = store_image(image_bytes(colour=(7, 8, 9)))
    services.update_idea(author, idea, _input(
        service_area=idea.service_area,
        images=[ImageInput(existing_id=kept_id, alt_text="Andre, bedre beskrevet", slot=1),
                ImageInput(image=third, alt_text="Tredje", slot=2)],
    ))
    assert [img.alt_text for img in idea.images] == ["Andre, bedre beskrevet", "Tredje"]
    assert idea.images[0].id == kept_id
    assert idea.edited_at is not None


def test_author_cannot_claim_another_ideas_image(app):
    author = make_user()
    other = make_idea(images=[ImageInput(image=store_image(image_bytes()), alt_text="Fremmed", slot=1)])
    idea = make_idea(author)
    with pytest.raises(InvalidInput) as caught:
        services.update_idea(author, idea, _input(
            service_area=idea.service_area,
            images=[ImageInput(existing_id=other.images[0].id, alt_text="Mitt nå", slot=1)],
        ))
    assert "image_1" in caught.value.fields


def test_author_can_withdraw_a_submitted_idea_with_a_public_reason(app):
    author = make_user()
    idea = make_idea(author)
    services.withdraw_idea(author, idea, "Kommunen har allerede bestemt dette.")
    assert idea.status == IdeaStatus.WITHDRAWN
    assert idea.withdrawn_reason == "Kommunen har allerede bestemt dette."
    change = db.session.scalar(select(StatusChange).where(StatusChange.idea_id == idea.id))
    assert (change.from_status, change.to_status) == (IdeaStatus.SUBMITTED, IdeaStatus.WITHDRAWN)
    assert change.changed_by_id == author.id


def test_author_cannot_withdraw_once_under_review(app):
    author = make_user()
    idea = make_idea(author, status=IdeaStatus.UNDER_REVIEW)
    with pytest.raises(InvalidState):
        services.withdraw_idea(author, idea, "")


def test_resident_cannot_withdraw_someone_elses_idea(app):
    with pytest.raises(NotAllowed):
        services.withdraw_idea(make_user(), make_idea(), "")


def test_withdrawn_idea_cannot_be_edited(app):
    author = make_user()
    idea = make_idea(author)
    services.withdraw_idea(author, idea, "")
    with pytest.raises(InvalidState):
        services.update_idea(author, idea, _input(service_area=idea.service_area))


# --- votes ---------------------------------------------------------------------------------------


def test_resident_can_vote_once_and_voting_twice_changes_nothing(app):
    idea = make_idea()
    voter = make_user()
    assert services.vote_for_idea(voter, idea.id) == services.VoteState(True, 1)
    assert services.vote_for_idea(voter, idea.id) == services.VoteState(True, 1)
    assert counts(idea)[0] == 1
    assert db.session.scalar(select(func.count()).select_from(Vote)) == 1


def test_resident_can_take_the_vote_back_and_doing_it_twice_changes_nothing(app):
    idea = make_idea()
    voter, other = make_user(), make_user()
    services.vote_for_idea(voter, idea.id)
    services.vote_for_idea(other, idea.id)
    assert services.withdraw_vote(voter, idea.id) == services.VoteState(False, 1)
    assert services.withdraw_vote(voter, idea.id) == services.VoteState(False, 1)
    assert counts(idea)[0] == 1


# Support closes only when the idea can no longer be delivered (tests/ideas/test_voting_open.py).
@pytest.mark.parametrize("status", [IdeaStatus.IMPLEMENTED, IdeaStatus.DECLINED, IdeaStatus.MERGED,
                                    IdeaStatus.WITHDRAWN])
def test_resident_cannot_vote_on_a_closed_idea(app, status):
    idea = make_idea(status=status)
    with pytest.raises(InvalidState) as caught:
        services.vote_for_idea(make_user(), idea.id)
    assert "stengt" in caught.value.message
    assert counts(idea)[0] == 0


def test_resident_can_vote_while_under_review(app):
    idea = make_idea(status=IdeaStatus.UNDER_REVIEW)
    assert services.vote_for_idea(make_user(), idea.id).vote_count == 1


def test_vote_cannot_be_taken_back_after_voting_closed(app):
    idea = make_idea()
    voter = make_user()
    services.vote_for_idea(voter, idea.id)
    idea.status = IdeaStatus.IMPLEMENTED
    db.session.commit()
    with pytest.raises(InvalidState):
        services.withdraw_vote(voter, idea.id)
    assert counts(idea)[0] == 1


def test_nobody_can_vote_on_a_hidden_idea(app):
    idea = make_idea(hidden=True)
    with pytest.raises(InvalidState):
        services.vote_for_idea(make_user(), idea.id)


@pytest.mark.parametrize(
    "fields",
    [{"confirmed": False}, {"is_blocked": True}, {"name_flagged_at": utcnow()}],
    ids=["unconfirmed", "blocked", "name-flagged"],
)
def test_account_that_cannot_participate_cannot_vote(app, fields):
    idea = make_idea()
    with pytest.raises(NotAllowed):
        services.vote_for_idea(make_user(**fields), idea.id)
    assert counts(idea)[0] == 0


def test_block_that_has_ended_lets_the_person_vote_again(app):
    idea = make_idea()
    voter = make_user(is_blocked=True, blocked_until=utcnow() - timedelta(days=1))
    assert services.vote_for_idea(voter, idea.id).voted


def test_a_lost_race_between_two_votes_of_one_person_counts_once(app):
    """The unique constraint settles it: the vote row a parallel request of the same person
    committed a moment ago makes this one's INSERT do nothing, without an error and without
    counting again (the twenty-at-once proof on PostgreSQL is in test_concurrency.py)."""
    idea = make_idea()
    voter = make_user()
    # The other request's row, written past this service (it would have counted it itself).
    db.session.add(Vote(idea_id=idea.id, user_id=voter.id))
    db.session.commit()
    state = services.vote_for_idea(voter, idea.id)
    assert state == services.VoteState(True, 0)
    assert counts(idea)[0] == 0
    assert db.session.scalar(select(func.count()).select_from(Vote).where(Vote.idea_id == idea.id)) == 1


# --- endorsements ----------------------------------------------------------------------------------


def test_member_of_verified_organisation_can_endorse_once_for_the_organisation(app):
    first, second = make_user(), make_user()
    organisation = make_organisation(admin=first, members=(second,))
    idea = make_idea()
    assert services.endorse_idea(first, idea.id, organisation.id) == services.EndorsementState(True, 1)
    assert services.endorse_idea(second, idea.id, organisation.id) == services.EndorsementState(True, 1)
    assert counts(idea)[1] == 1


def test_any_member_can_withdraw_the_organisations_endorsement(app):
    first, second = make_user(), make_user()
    organisation = make_organisation(admin=first, members=(second,))
    other_org = make_organisation(admin=make_user())
    idea = make_idea()
    services.endorse_idea(first, idea.id, organisation.id)
    services.endorse_idea(other_org.memberships[0].user, idea.id, other_org.id)
    assert services.withdraw_endorsement(second, idea.id, organisation.id) == services.EndorsementState(False, 1)
    assert services.withdraw_endorsement(second, idea.id, organisation.id).endorsement_count == 1
    assert counts(idea)[1] == 1


def test_resident_cannot_endorse_for_an_organisation_they_are_not_member_of(app):
    organisation = make_organisation(admin=make_user())
    with pytest.raises(NotAllowed):
        services.endorse_idea(make_user(), make_idea().id, organisation.id)


def test_unverified_organisation_cannot_endorse(app):
    member = make_user()
    organisation = make_organisation(admin=member, verified=False)
    with pytest.raises(NotAllowed) as caught:
        services.endorse_idea(member, make_idea().id, organisation.id)
    assert "ikke verifisert" in caught.value.message


def test_endorsing_needs_an_organisation(app):
    with pytest.raises(InvalidInput):
        services.endorse_idea(make_user(), make_idea().id, None)


@pytest.mark.parametrize("hidden,status", [(True, IdeaStatus.SUBMITTED), (False, IdeaStatus.WITHDRAWN)])
def test_hidden_or_withdrawn_idea_cannot_be_endorsed(app, hidden, status):
    member = make_user()
    organisation = make_organisation(admin=member)
    idea = make_idea(hidden=hidden, status=status)
    with pytest.raises(InvalidState):
        services.endorse_idea(member, idea.id, organisation.id)
    assert counts(idea)[1] == 0


def test_counters_match_the_rows_after_many_changes(app):
    idea = make_idea()
    voters = [make_user() for _ in range(6)]
    for voter in voters:
        services.vote_for_idea(voter, idea.id)
    for voter in voters[:2]:
        services.withdraw_vote(voter, idea.id)
    services.vote_for_idea(voters[0], idea.id)
    rows = db.session.scalar(select(func.count()).select_from(Vote).where(Vote.idea_id == idea.id))
    assert counts(idea)[0] == rows == 5

