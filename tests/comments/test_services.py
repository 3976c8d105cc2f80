"""The rules of the discussion, through the services."""

from datetime import timedelta

import pytest

from app.comments import services
from app.comments.models import Comment, CommentVisibility
from app.core.db import utcnow
from app.core.errors import InvalidInput, InvalidState, NotAllowed, NotAuthenticated
from app.extensions import db
from app.ideas.models import IdeaStatus
from tests.comments.factories import comment_count, make_comment, make_idea
from tests.factories import make_organisation, make_user

# --- posting -------------------------------------------------------------------------------


def test_resident_posts_comment_and_count_goes_up():
    idea = make_idea()
    author = make_user()
    comment = services.post_comment(author, idea, "  Godt forslag, jeg støtter det.  ")
    assert comment.body == "Godt forslag, jeg støtter det."
    assert comment.author_id == author.id
    assert comment.visibility == CommentVisibility.VISIBLE
    assert comment.parent_id is None and comment.organisation_id is None
    assert comment_count(idea) == 1


def test_paragraphs_are_kept_and_extra_blank_lines_collapsed():
    comment = make_comment(make_idea(), body="Første avsnitt.\r\n\r\n\r\n\r\nAndre avsnitt.  \nLinje to.")
    assert comment.body == "Første avsnitt.\n\nAndre avsnitt.\nLinje to."


@pytest.mark.parametrize("body", ["", " ", "a", " b \n\n "])
def test_comment_shorter_than_two_characters_is_refused(body):
    idea = make_idea()
    with pytest.raises(InvalidInput) as error:
        services.post_comment(make_user(), idea, body)
    assert "minst 2 tegn" in error.value.fields["body"][0]
    assert comment_count(idea) == 0


def test_comment_of_exactly_two_and_two_thousand_characters_is_accepted():
    idea = make_idea()
    services.post_comment(make_user(), idea, "ok")
    services.post_comment(make_user(), idea, "x" * 2000)
    assert comment_count(idea) == 2


def test_comment_longer_than_two_thousand_characters_is_refused_with_its_length():
    with pytest.raises(InvalidInput) as error:
        services.post_comment(make_user(), make_idea(), "x" * 2001)
    assert "høyst 2000 tegn" in error.value.message
    assert "2001" in error.value.message


def test_same_text_from_same_person_within_the_hour_is_refused_as_duplicate_on_any_idea():
    author = make_user()
    services.post_comment(author, make_idea(), "Dette bør   prioriteres.\nNå!")
    other_idea = make_idea()
    with pytest.raises(InvalidInput) as error:
        services.post_comment(author, other_idea, "  dette BØR prioriteres. nå! ")
    assert "allerede skrevet akkurat denne kommentaren" in error.value.fields["body"][0]
    assert comment_count(other_idea) == 0


def test_same_text_from_another_person_is_not_a_duplicate():
    idea = make_idea()
    services.post_comment(make_user(), idea, "Helt enig!")
    services.post_comment(make_user(), idea, "Helt enig!")
    assert comment_count(idea) == 2


def test_same_text_after_more_than_an_hour_is_accepted():
    author = make_user()
    idea = make_idea()
    first = services.post_comment(author, idea, "Helt enig!")
    first.created_at = utcnow() - timedelta(minutes=61)
    db.session.commit()
    services.post_comment(author, idea, "Helt enig!")
    assert comment_count(idea) == 2


def test_same_text_after_deleting_it_is_accepted():
    author = make_user()
    idea = make_idea()
    first = services.post_comment(author, idea, "Helt enig!")
    services.delete_comment(author, first)
    services.post_comment(author, idea, "Helt enig!")
    assert comment_count(idea) == 1


def test_same_text_as_own_hidden_comment_is_still_a_duplicate():
    author = make_user()
    idea = make_idea()
    first = services.post_comment(author, idea, "Kjøp noe hos meg")
    services.apply_comment_visibility(first, "hidden", hidden_reason="Reklame")
    db.session.commit()
    with pytest.raises(InvalidInput):
        services.post_comment(author, idea, "Kjøp noe hos meg")


def test_visitor_cannot_comment():
    with pytest.raises(NotAuthenticated):
        services.post_comment(None, make_idea(), "Hei på deg")


def test_unconfirmed_person_cannot_comment():
    idea = make_idea()
    with pytest.raises(NotAllowed) as error:
        services.post_comment(make_user(confirmed=False), idea, "Hei på deg")
    assert "Bekreft e-postadressen" in error.value.message
    assert comment_count(idea) == 0


def test_blocked_person_cannot_comment():
    idea = make_idea()
    with pytest.raises(NotAllowed) as error:
        services.post_comment(make_user(is_blocked=True, blocked_reason="Sjikane"), idea, "Hei på deg")
    assert "blokkert" in error.value.message
    assert db.session.scalar(db.select(db.func.count(Comment.id))) == 0


def test_person_whose_block_has_lapsed_can_comment():
    user = make_user(is_blocked=True, blocked_until=utcnow() - timedelta(days=1))
    services.post_comment(user, make_idea(), "Tilbake igjen")


def test_person_with_flagged_name_cannot_comment():
    with pytest.raises(NotAllowed) as error:
        services.post_comment(make_user(name_flagged_at=utcnow()), make_idea(), "Hei på deg")
    assert "fulle navn" in error.value.message


def test_nobody_can_comment_on_a_hidden_idea():
    idea = make_idea(visible=False)
    with pytest.raises(InvalidState) as error:
        services.post_comment(make_user(), idea, "Hei på deg")
    assert "skjult" in error.value.message


def test_nobody_can_comment_on_a_withdrawn_idea():
    with pytest.raises(InvalidState) as error:
        services.post_comment(make_user(), make_idea(status=IdeaStatus.WITHDRAWN), "Hei på deg")
    assert "trukket tilbake" in error.value.message


@pytest.mark.parametrize("status", [s for s in IdeaStatus if s != IdeaStatus.WITHDRAWN])
def test_discussion_stays_open_whatever_the_status_but_withdrawn(status):
    idea = make_idea(status=status)
    services.post_comment(make_user(), idea, "Hva skjer videre nå?")
    assert comment_count(idea) == 1


# --- on behalf of an organisation ----------------------------------------------------------


def test_member_posts_on_behalf_of_verified_organisation():
    member = make_user()
    organisation = make_organisation(members=(member,))
    comment = services.post_comment(member, make_idea(), "Vi stiller på dugnad.", organisation=organisation)
    assert comment.organisation_id == organisation.id
    assert comment.author_id == member.id


def test_non_member_cannot_post_on_behalf_of_organisation():
    organisation = make_organisation(admin=make_user())
    idea = make_idea()
    with pytest.raises(NotAllowed) as error:
        services.post_comment(make_user(), idea, "Vi stiller på dugnad.", organisation=organisation)
    assert "ikke medlem" in error.value.fields["organisation_id"][0]
    assert comment_count(idea) == 0


def test_member_cannot_post_on_behalf_of_unverified_organisation():
    member = make_user()
    organisation = make_organisation(admin=member, verified=False)
    with pytest.raises(NotAllowed) as error:
        services.post_comment(member, make_idea(), "Vi stiller på dugnad.", organisation=organisation)
    assert "ikke verifisert" in error.value.message


# --- replies -------------------------------------------------------------------------------


def test_reply_hangs_under_the_comment():
    idea = make_idea()
    top = make_comment(idea)
    reply = services.post_comment(make_user(), idea, "Godt poeng!", parent=top)
    assert reply.parent_id == top.id
    assert comment_count(idea) == 2


def test_reply_to_a_reply_is_attached_to_the_top_level_comment():
    idea = make_idea()
    top = make_comment(idea)
    reply = make_comment(idea, parent=top)
    answer = services.post_comment(make_user(), idea, "Enig med deg.", parent=reply)
    assert answer.parent_id == top.id
    assert comment_count(idea) == 3


def test_reply_to_a_comment_on_another_idea_is_refused():
    top = make_comment(make_idea())
    other = make_idea()
    with pytest.raises(InvalidInput) as error:
        services.post_comment(make_user(), other, "Feil sted", parent=top)
    assert "parent_id" in error.value.fields
    assert comment_count(other) == 0


def test_reply_to_a_deleted_comment_is_refused():
    idea = make_idea()
    author = make_user()
    top = make_comment(idea, author=author)
    services.delete_comment(author, top)
    with pytest.raises(InvalidState) as error:
        services.post_comment(make_user(), idea, "Hallo?", parent=top)
    assert "slettet" in error.value.message


def test_reply_to_a_hidden_comment_is_refused():
    idea = make_idea()
    top = make_comment(idea)
    services.apply_comment_visibility(top, "hidden", hidden_reason="Sjikane")
    db.session.commit()
    with pytest.raises(InvalidState):
        services.post_comment(make_user(), idea, "Hallo?", parent=top)


# --- editing -------------------------------------------------------------------------------


def test_author_edits_own_comment_and_it_shows_as_edited():
    author = make_user()
    comment = make_comment(make_idea(), author=author, body="Førsteutkast")
    services.edit_comment(author, comment, "Rettet tekst")
    db.session.expire_all()
    comment = db.session.get(Comment, comment.id)
    assert comment.body == "Rettet tekst"
    assert comment.edited_at is not None


def test_saving_the_same_text_does_not_mark_the_comment_edited():
    author = make_user()
    comment = make_comment(make_idea(), author=author, body="Uendret")
    services.edit_comment(author, comment, " Uendret ")
    assert comment.edited_at is None


def test_someone_else_cannot_edit_a_comment():
    comment = make_comment(make_idea(), body="Original")
    with pytest.raises(NotAllowed):
        services.edit_comment(make_user(), comment, "Kapret")
    assert comment.body == "Original"


def test_moderator_cannot_edit_someone_elses_comment():
    comment = make_comment(make_idea(), body="Original")
    with pytest.raises(NotAllowed):
        services.edit_comment(make_user(role="moderator"), comment, "Endret av moderator")


def test_visitor_cannot_edit():
    with pytest.raises(NotAuthenticated):
        services.edit_comment(None, make_comment(make_idea()), "Hei")


def test_edit_keeps_the_length_rule():
    author = make_user()
    comment = make_comment(make_idea(), author=author)
    with pytest.raises(InvalidInput):
        services.edit_comment(author, comment, "x")
    with pytest.raises(InvalidInput):
        services.edit_comment(author, comment, "x" * 2001)


def test_author_cannot_edit_a_hidden_comment():
    author = make_user()
    comment = make_comment(make_idea(), author=author)
    services.apply_comment_visibility(comment, "hidden", hidden_reason="Personopplysninger")
    db.session.commit()
    with pytest.raises(InvalidState):
        services.edit_comment(author, comment, "Prøver å skjule sporene")


def test_blocked_author_cannot_edit():
    author = make_user()
    comment = make_comment(make_idea(), author=author)
    author.is_blocked = True
    db.session.commit()
    with pytest.raises(NotAllowed):
        services.edit_comment(author, comment, "Endret tekst")


# --- deleting and the counter --------------------------------------------------------------


def test_author_deletes_own_comment_and_count_goes_down():
    idea = make_idea()
    author = make_user()
    comment = make_comment(idea, author=author)
    make_comment(idea)
    assert comment_count(idea) == 2
    services.delete_comment(author, comment)
    assert comment.visibility == CommentVisibility.DELETED
    assert comment_count(idea) == 1


def test_someone_else_cannot_delete_a_comment():
    idea = make_idea()
    comment = make_comment(idea)
    with pytest.raises(NotAllowed):
        services.delete_comment(make_user(), comment)
    with pytest.raises(NotAllowed):
        services.delete_comment(make_user(role="admin"), comment)
    assert comment.visibility == CommentVisibility.VISIBLE
    assert comment_count(idea) == 1


def test_deleting_twice_is_refused_and_counts_once():
    idea = make_idea()
    author = make_user()
    comment = make_comment(idea, author=author)
    services.delete_comment(author, comment)
    with pytest.raises(InvalidState):
        services.delete_comment(author, comment)
    assert comment_count(idea) == 0


def test_blocked_author_can_still_delete_own_comment():
    idea = make_idea()
    author = make_user()
    comment = make_comment(idea, author=author)
    author.is_blocked = True
    db.session.commit()
    services.delete_comment(author, comment)
    assert comment_count(idea) == 0


def test_deleting_a_comment_with_replies_keeps_the_replies_counted():
    idea = make_idea()
    author = make_user()
    top = make_comment(idea, author=author)
    make_comment(idea, parent=top)
    make_comment(idea, parent=top)
    services.delete_comment(author, top)
    assert comment_count(idea) == 2


def test_hiding_and_restoring_move_the_count_and_deleting_hidden_does_not():
    idea = make_idea()
    author = make_user()
    comment = make_comment(idea, author=author)
    make_comment(idea)
    assert services.apply_comment_visibility(comment, "hidden", hidden_reason="Sjikane") == -1
    db.session.commit()
    assert comment_count(idea) == 1
    assert comment.hidden_reason == "Sjikane"
    assert services.apply_comment_visibility(comment, "hidden", hidden_reason="Sjikane") == 0
    db.session.commit()
    assert comment_count(idea) == 1
    assert services.apply_comment_visibility(comment, CommentVisibility.VISIBLE) == 1
    db.session.commit()
    assert comment_count(idea) == 2
    assert comment.hidden_reason is None
    services.apply_comment_visibility(comment, "hidden", hidden_reason="Igjen")
    db.session.commit()
    services.delete_comment(author, comment)
    assert comment_count(idea) == 1


def test_a_deleted_comment_cannot_be_restored():
    author = make_user()
    comment = make_comment(make_idea(), author=author)
    services.delete_comment(author, comment)
    with pytest.raises(InvalidState):
        services.apply_comment_visibility(comment, "visible")


def test_count_is_exact_after_a_mix_of_posts_replies_and_deletes():
    idea = make_idea()
    people = [make_user() for _ in range(3)]
    tops = [make_comment(idea, author=p) for p in people]
    replies = [make_comment(idea, author=people[0], parent=tops[1]) for _ in range(2)]
    services.delete_comment(people[2], tops[2])
    services.delete_comment(people[0], replies[0])
    visible = db.session.scalar(
        db.select(db.func.count(Comment.id)).where(
            Comment.idea_id == idea.id, Comment.visibility == CommentVisibility.VISIBLE
        )
    )
    assert comment_count(idea) == visible == 3


def test_adjust_comment_count_moves_only_the_given_idea():
    first, second = make_idea(), make_idea()
    services.adjust_comment_count(first.id, 3)
    services.adjust_comment_count(first.id, -1)
    db.session.commit()
    assert comment_count(first) == 2
    assert comment_count(second) == 0
