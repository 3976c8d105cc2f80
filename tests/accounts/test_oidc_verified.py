"""VERIFIED_IDENTITY_REQUIRED_FOR: actions only a person verified with ID-porten may take."""

import pytest

from app.accounts.models import Identity
from app.accounts.permissions import can_participate, participation_problem
from app.comments.models import CommentVisibility
from app.core.errors import NotAllowed
from app.extensions import db
from app.moderation import services as moderation
from tests.factories import make_user
from tests.moderation.conftest import make_comment


def verified_user(**fields):
    user = make_user(**fields)
    db.session.add(Identity(user=user, provider="idporten", kind="resident",
                            issuer="https://test.idporten.no", person_hash=f"{user.id:064d}",
                            level="idporten-loa-substantial"))
    db.session.commit()
    return user


def test_nothing_is_required_by_default(app):
    user = make_user()
    for action in ("propose", "vote", "comment", "report", "endorse", "sign"):
        assert can_participate(user, action)


@pytest.mark.parametrize("action", ["propose", "vote", "comment", "report", "endorse", "sign"])
def test_an_unverified_person_cannot_take_a_required_action(app, action):
    app.config["VERIFIED_IDENTITY_REQUIRED_FOR"] = f"{action}, nonsense"
    assert participation_problem(make_user(), action) == "unverified"
    assert participation_problem(verified_user(), action) is None
    # Other actions, and taking part in general, stay open.
    other = "vote" if action != "vote" else "comment"
    assert participation_problem(make_user(), other) is None
    assert can_participate(make_user())


def test_a_staff_identity_is_not_a_verified_person(app):
    app.config["VERIFIED_IDENTITY_REQUIRED_FOR"] = "vote"
    user = make_user()
    db.session.add(Identity(user=user, provider="staff", kind="staff", issuer="https://login.example",
                            person_hash="f" * 64))
    db.session.commit()
    assert participation_problem(user, "vote") == "unverified"


def test_an_unverified_person_cannot_report_when_reports_need_identity(app):
    app.config["VERIFIED_IDENTITY_REQUIRED_FOR"] = "report"
    comment = make_comment()
    with pytest.raises(NotAllowed, match="Bekreft hvem du er med ID-porten"):
        moderation.report_content(make_user(), "comment", comment.id, "spam")


def test_only_verified_reporters_count_towards_hiding(app):
    app.config["HIDE_AFTER_REPORTS"] = 2
    comment = make_comment()
    # One report from before the rule, by a person without an identity: it stays, uncounted.
    moderation.report_content(make_user(), "comment", comment.id, "spam")
    app.config["VERIFIED_IDENTITY_REQUIRED_FOR"] = "report"
    moderation.report_content(verified_user(), "comment", comment.id, "spam")
    db.session.refresh(comment)
    assert comment.visibility == CommentVisibility.VISIBLE  # two reports, one verified
    moderation.report_content(verified_user(), "comment", comment.id, "spam")
    db.session.refresh(comment)
    assert comment.visibility == CommentVisibility.HIDDEN


def test_without_the_rule_every_report_counts(app):
    app.config["HIDE_AFTER_REPORTS"] = 2
    comment = make_comment()
    moderation.report_content(make_user(), "comment", comment.id, "spam")
    moderation.report_content(make_user(), "comment", comment.id, "spam")
    db.session.refresh(comment)
    assert comment.visibility == CommentVisibility.HIDDEN
