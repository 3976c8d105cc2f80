"""`flask initiatives expire`: safe to run twice, says what it did."""

from datetime import timedelta

from app.core.db import utcnow
from app.extensions import db
from app.initiatives.models import Initiative, InitiativeStatus
from tests.initiatives.factories import make_collecting


def test_expire_closes_ended_collections_and_says_how_many(app, runner):
    ended, running = make_collecting(), make_collecting()
    ended.collection_ends_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    result = runner.invoke(args=["initiatives", "expire"])
    assert result.exit_code == 0 and result.output.strip() == "1 collection expired"
    assert runner.invoke(args=["initiatives", "expire"]).output.strip() == "0 collections expired"
    db.session.expire_all()
    assert db.session.get(Initiative, ended.id).status == InitiativeStatus.EXPIRED
    assert db.session.get(Initiative, running.id).status == InitiativeStatus.COLLECTING
