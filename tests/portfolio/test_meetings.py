"""The forum's meetings: prepared from the board, the minutes with a decision per agenda item
(every outcome and its rules), who may do what, the pages, the CSV, the followers told, and
two people recording the same item at the same moment."""

import threading
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from app.accounts.models import Role, User
from app.core.csv import BOM
from app.core.errors import InvalidInput, InvalidState, NotAllowed, NotFound
from app.extensions import db
from app.notifications import follows
from app.notifications.models import Notice
from app.portfolio import meetings, services
from app.portfolio.models import (
    AgendaItem,
    Assessment,
    Criterion,
    Decision,
    DecisionOutcome,
    Meeting,
    MeetingStatus,
    ProjectPhase,
)
from tests.factories import login, make_user
from tests.portfolio.conftest import make_criteria, make_project

DAY = date(2026, 3, 10)
WHY = "Gir mest effekt for pengene."


def make_meeting(actor, **values) -> Meeting:
    data = {"title": "Porteføljeforum mars", "meeting_date": DAY.isoformat(), "participant_ids": [actor.id]}
    data.update(values)
    return meetings.create_meeting(actor, data)


def score(project, value: int, assessor=None) -> None:
    """Every assessed criterion at `value`: a known place on the board."""
    assessor = assessor or make_user(role=Role.PORTFOLIO_MANAGER)
    for criterion in db.session.scalars(select(Criterion)):
        if not criterion.computed:
            db.session.add(Assessment(project_id=project.id, assessor_id=assessor.id,
                                      criterion_id=criterion.id, score=value))
    db.session.commit()


@pytest.fixture
def board(app):
    """Three projects on the board, ranked best, middle, last, and one in progress (off it)."""
    make_criteria()
    best = make_project("Trygg skolevei", cost=4_000_000)
    middle = make_project("Nytt sak- og arkivsystem", cost=3_000_000, public=False)
    last = make_project("Lys i lysløypa", cost=2_000_000, phase=ProjectPhase.PLANNED)
    running = make_project("Ny barnehage", phase=ProjectPhase.IN_PROGRESS)
    score(best, 5)
    score(middle, 3)
    score(last, 1)
    return {"best": best, "middle": middle, "last": last, "running": running}


def prepared(manager, board, **values) -> Meeting:
    meeting = make_meeting(manager, **values)
    meetings.add_to_agenda(manager, meeting, [board["last"].id, board["best"].id, board["middle"].id])
    return meeting


def items(meeting) -> list[AgendaItem]:
    return list(db.session.scalars(select(AgendaItem).where(AgendaItem.meeting_id == meeting.id)
                                   .order_by(AgendaItem.position)))


def item_of(meeting, project) -> AgendaItem:
    return next(i for i in items(meeting) if i.project_id == project.id)


# --- preparing a meeting from the board ---------------------------------------------------


def test_a_meeting_prepared_from_the_board_lists_its_projects_in_board_order(manager, board):
    meeting = prepared(manager, board, budget="7 000 000")
    agenda = items(meeting)
    assert [i.project_id for i in agenda] == [board["best"].id, board["middle"].id, board["last"].id]
    assert [i.board_rank for i in agenda] == [1, 2, 3]
    # The budget line: 4 + 3 million fit within 7, the third does not.
    assert [i.board_fits for i in agenda] == [True, True, False]
    assert [i.board_cumulative_cost for i in agenda] == [4_000_000, 7_000_000, 9_000_000]
    assert agenda[0].board_score == pytest.approx(5, abs=0.01) or agenda[0].board_score > agenda[1].board_score


def test_projects_added_later_come_after_and_twice_is_once(manager, board):
    meeting = make_meeting(manager)
    meetings.add_to_agenda(manager, meeting, [board["last"].id])
    meetings.add_to_agenda(manager, meeting, [board["best"].id, board["last"].id])
    assert [i.project_id for i in items(meeting)] == [board["last"].id, board["best"].id]


def test_the_agenda_can_be_reordered_and_an_item_removed_until_it_is_decided(manager, board):
    meeting = prepared(manager, board)
    first, second, third = items(meeting)
    meetings.move_agenda_item(manager, meeting, third.id, -1)
    assert [i.id for i in items(meeting)] == [first.id, third.id, second.id]
    meetings.move_agenda_item(manager, meeting, first.id, -1)  # already first: nothing moves
    assert [i.id for i in items(meeting)] == [first.id, third.id, second.id]
    meetings.remove_from_agenda(manager, meeting, third.id)
    assert [i.id for i in items(meeting)] == [first.id, second.id]
    meetings.record_meeting_decision(manager, meeting, first.id, {"outcome": "prioritised", "rationale": WHY})
    with pytest.raises(InvalidState, match="Saken blir stående"):
        meetings.remove_from_agenda(manager, meeting, first.id)


@pytest.mark.parametrize("ids, message", [
    ([], "Velg minst ett prosjekt"),
    (["abc"], "Velg prosjekter fra prioriteringstavla"),
    ([2**40], "Velg prosjekter fra prioriteringstavla"),
    ([True], "Velg prosjekter fra prioriteringstavla"),
    ([999_999], "finnes ikke"),
])
def test_the_agenda_refuses_what_is_no_project(manager, board, ids, message):
    meeting = make_meeting(manager)
    with pytest.raises(InvalidInput, match=message) as caught:
        meetings.add_to_agenda(manager, meeting, ids)
    assert "project_ids" in caught.value.fields


def test_a_project_off_the_board_cannot_go_on_the_agenda(manager, board):
    meeting = make_meeting(manager)
    with pytest.raises(InvalidInput, match="Bare foreslåtte og planlagte prosjekter står på tavla: Ny barnehage"):
        meetings.add_to_agenda(manager, meeting, [board["best"].id, board["running"].id])
    assert items(meeting) == []


def test_an_item_of_another_meeting_is_not_found_here(manager, board):
    meeting, other = prepared(manager, board), make_meeting(manager, title="Et annet møte")
    foreign = items(meeting)[0]
    for call in (lambda: meetings.remove_from_agenda(manager, other, foreign.id),
                 lambda: meetings.move_agenda_item(manager, other, foreign.id, 1),
                 lambda: meetings.record_meeting_decision(manager, other, foreign.id,
                                                          {"outcome": "rejected", "rationale": WHY})):
        with pytest.raises(NotFound):
            call()
    assert len(items(meeting)) == 3


@pytest.mark.parametrize("values, field, message", [
    ({"title": "ab"}, "title", "minst 3 tegn"),
    ({"title": "x" * 201}, "title", "høyst 200 tegn"),
    ({"title": "Møte\x00"}, "title", "tegn som ikke kan lagres"),
    ({"meeting_date": ""}, "meeting_date", "Skriv datoen for møtet"),
    ({"meeting_date": "10.03.2026"}, "meeting_date", "ÅÅÅÅ-MM-DD"),
    ({"meeting_date": "9999-01-01"}, "meeting_date", "ÅÅÅÅ-MM-DD"),
    ({"guests": "Ola\x00"}, "guests", "tegn som ikke kan lagres"),
    ({"guests": "\n".join(f"Gjest {n}" for n in range(51))}, "guests", "høyst 50 gjester"),
    ({"guests": "x" * 2001}, "guests", "høyst 2000 tegn"),
    ({"budget": "-5"}, "budget", "hele kroner"),
    ({"budget": "12,5"}, "budget", "hele kroner"),
    ({"budget": "١٢"}, "budget", "hele kroner"),
    ({"budget": str(10**13)}, "budget", "hele kroner"),
    ({"participant_ids": ["x"]}, "participant_ids", "Velg deltakerne"),
    ({"participant_ids": [999_999]}, "participant_ids", "kommunens ansatte"),
])
def test_a_meeting_is_checked_field_by_field(manager, values, field, message):
    with pytest.raises(InvalidInput) as caught:
        make_meeting(manager, **values)
    assert message in caught.value.fields[field][0]
    assert db.session.scalar(select(func.count(Meeting.id))) == 0


def test_participants_are_staff_and_guests_are_names_one_a_line(manager, moderator, resident):
    with pytest.raises(InvalidInput) as caught:
        make_meeting(manager, participant_ids=[manager.id, resident.id])
    assert "Gjester utenfra" in caught.value.fields["participant_ids"][0]
    meeting = make_meeting(manager, participant_ids=[moderator.id, manager.id, manager.id],
                           guests="  Kari Konsulent,  Rådgiverfirma \r\n\n Ola Nordmann  ")
    assert {p.id for p in meeting.participants} == {manager.id, moderator.id}
    assert meeting.guest_list == ["Kari Konsulent, Rådgiverfirma", "Ola Nordmann"]
    assert meeting.status == MeetingStatus.PLANNED


def test_only_portfolio_managers_set_up_meetings_and_only_staff_read_them(manager, moderator, resident):
    meeting = make_meeting(manager)
    for person in (moderator, resident):
        with pytest.raises(NotAllowed):
            make_meeting(person)
        with pytest.raises(NotAllowed):
            meetings.update_meeting(person, meeting, {"title": "Kapret"})
    assert meetings.get_meeting(moderator, meeting.id) == meeting
    with pytest.raises(NotAllowed):
        meetings.get_meeting(resident, meeting.id)
    with pytest.raises(NotFound):
        meetings.get_meeting(manager, 2**40)


def test_a_meeting_is_held_on_or_after_its_date_and_its_ranking_is_taken_then(manager, board):
    future = (date.today() + timedelta(days=30)).isoformat()
    meeting = prepared(manager, board, meeting_date=future)
    with pytest.raises(InvalidInput, match="kan ikke være holdt før møtedatoen") as caught:
        meetings.update_meeting(manager, meeting, {"status": "held"})
    assert "status" in caught.value.fields
    meetings.update_meeting(manager, meeting, {"meeting_date": DAY.isoformat()})
    assert [i.board_rank for i in items(meeting)] == [1, 2, 3]
    # Before the meeting the best one got under way: it has left the board.
    services.change_project_phase(manager, board["best"], "in_progress")
    meetings.update_meeting(manager, meeting, {"status": "held"})
    assert [i.board_rank for i in items(meeting)] == [None, 1, 2]
    assert db.session.get(Meeting, meeting.id).status == MeetingStatus.HELD


def test_a_new_date_moves_its_decisions_along_but_not_past_a_deferral(manager, board):
    meeting = prepared(manager, board)
    first = items(meeting)[0]
    meetings.record_meeting_decision(manager, meeting, first.id, {
        "outcome": "deferred", "deferred_to": "2026-06-01", "rationale": WHY})
    meetings.update_meeting(manager, meeting, {"meeting_date": "2026-03-12"})
    assert db.session.scalar(select(Decision.meeting_date)) == date(2026, 3, 12)
    with pytest.raises(InvalidInput, match="utsatt til 2026-06-01"):
        meetings.update_meeting(manager, meeting, {"meeting_date": "2026-06-01"})


def test_a_meeting_with_decisions_is_not_deleted(manager, board):
    meeting = prepared(manager, board)
    empty = make_meeting(manager, title="Avlyst møte")
    meetings.delete_meeting(manager, empty)
    assert db.session.get(Meeting, empty.id) is None
    meetings.record_meeting_decision(manager, meeting, items(meeting)[0].id,
                                     {"outcome": "rejected", "rationale": WHY})
    with pytest.raises(InvalidState, match="kan ikke slettes"):
        meetings.delete_meeting(manager, meeting)


# --- the minutes ------------------------------------------------------------------------


@pytest.mark.parametrize("outcome, extra, check", [
    ("prioritised", {}, lambda d, b: d.deferred_to is None and d.merged_into_id is None),
    ("deferred", {"deferred_to": "2026-09-01"}, lambda d, b: d.deferred_to == date(2026, 9, 1)),
    ("rejected", {"deferred_to": "2026-09-01"}, lambda d, b: d.deferred_to is None),  # ignored
    ("merged", {}, lambda d, b: d.merged_into_id == b["last"].id),
    ("sent_back", {"merged_into_id": 1}, lambda d, b: d.merged_into_id is None),  # ignored
])
def test_each_outcome_is_recorded_in_the_minutes(manager, board, outcome, extra, check):
    meeting = prepared(manager, board)
    if outcome == "merged":
        extra = {"merged_into_id": str(board["last"].id)}
    decision = meetings.record_meeting_decision(
        manager, meeting, item_of(meeting, board["best"]).id, {"outcome": outcome, "rationale": WHY, **extra})
    db.session.expire_all()
    decision = db.session.get(Decision, decision.id)
    assert decision.outcome == DecisionOutcome(outcome)
    assert decision.meeting_id == meeting.id and decision.meeting_date == DAY
    assert decision.project_id == board["best"].id and decision.rationale == WHY
    assert check(decision, board)


@pytest.mark.parametrize("values, field, message", [
    ({"outcome": "merged", "merged_into_id": "SELF"}, "merged_into_id", "kan ikke slås sammen med seg selv"),
    ({"outcome": "merged"}, "merged_into_id", "Velg prosjektet det slås sammen med"),
    ({"outcome": "merged", "merged_into_id": "999999"}, "merged_into_id", "Fant ikke prosjektet"),
    ({"outcome": "merged", "merged_into_id": str(2**40)}, "merged_into_id", "Fant ikke prosjektet"),
    ({"outcome": "merged", "merged_into_id": "1; DROP TABLE projects"}, "merged_into_id", "Fant ikke prosjektet"),
    ({"outcome": "deferred"}, "deferred_to", "Skriv datoen saken er utsatt til"),
    ({"outcome": "deferred", "deferred_to": "snart"}, "deferred_to", "ÅÅÅÅ-MM-DD"),
    ({"outcome": "deferred", "deferred_to": DAY.isoformat()}, "deferred_to", "etter møtet"),
    ({"outcome": "maybe"}, "outcome", "Velg hva forumet besluttet"),
    ({"outcome": "prioritised", "rationale": ""}, "rationale", "Skriv begrunnelsen"),
    ({"outcome": "prioritised", "rationale": "   "}, "rationale", "Skriv begrunnelsen"),
    ({"outcome": "prioritised", "rationale": "Ja\x00"}, "rationale", "tegn som ikke kan lagres"),
    ({"outcome": "prioritised", "rationale": "x" * 5001}, "rationale", "høyst 5000 tegn"),
])
def test_a_decision_is_refused_with_the_reason_next_to_its_field(manager, board, values, field, message):
    meeting = prepared(manager, board)
    item = item_of(meeting, board["best"])
    if values.get("merged_into_id") == "SELF":
        values = {**values, "merged_into_id": str(board["best"].id)}
    with pytest.raises(InvalidInput) as caught:
        meetings.record_meeting_decision(manager, meeting, item.id, {"rationale": WHY, **values})
    assert message in caught.value.fields[field][0]
    db.session.rollback()
    assert db.session.scalar(select(func.count(Decision.id))) == 0


def test_merging_into_a_cancelled_or_invisible_project_is_refused(manager, board):
    meeting = prepared(manager, board)
    cancelled = make_project("Nedlagt", phase=ProjectPhase.CANCELLED)
    item = item_of(meeting, board["best"])
    with pytest.raises(InvalidInput, match="er avlyst"):
        meetings.record_meeting_decision(manager, meeting, item.id, {
            "outcome": "merged", "merged_into_id": cancelled.id, "rationale": WHY})


def test_a_second_decision_on_an_item_needs_the_first_read_and_corrects_it(manager, admin, board):
    meeting = prepared(manager, board)
    item = item_of(meeting, board["best"])
    first = meetings.record_meeting_decision(manager, meeting, item.id, {"outcome": "prioritised", "rationale": WHY})
    with pytest.raises(InvalidState, match="Per Porteføljesen har allerede ført beslutningen"):
        meetings.record_meeting_decision(admin, meeting, item.id, {"outcome": "rejected", "rationale": "Nei."})
    with pytest.raises(InvalidState, match="finnes ikke lenger"):
        other = item_of(meeting, board["last"])
        meetings.record_meeting_decision(admin, meeting, other.id, {"outcome": "rejected", "rationale": "Nei."},
                                         based_on=meetings.decision_token(first))
    seen = meetings.decision_token(first)
    corrected = meetings.record_meeting_decision(admin, meeting, item.id, {
        "outcome": "deferred", "deferred_to": "2026-05-01", "rationale": "Venter på tall."}, based_on=seen)
    assert corrected.id == first.id
    assert db.session.scalar(select(func.count(Decision.id))) == 1
    assert corrected.outcome == DecisionOutcome.DEFERRED and corrected.recorded_by_id == admin.id
    # A correction of what someone else has corrected since is refused, not written over it.
    with pytest.raises(InvalidState, match="endret beslutningen om «Trygg skolevei» mens du skrev"):
        meetings.record_meeting_decision(manager, meeting, item.id, {"outcome": "rejected", "rationale": "Nei."},
                                         based_on=seen)


def test_only_portfolio_managers_record_decisions(moderator, manager, board):
    meeting = prepared(manager, board)
    with pytest.raises(NotAllowed):
        meetings.record_meeting_decision(moderator, meeting, items(meeting)[0].id,
                                         {"outcome": "prioritised", "rationale": WHY})


def test_two_secretaries_recording_the_same_item_read_what_is_stored(manager, admin, board):
    """What one request read before the other committed is not what it decides on."""
    meeting = prepared(manager, board)
    item = item_of(meeting, board["best"])
    meeting_seen = meetings.get_meeting(admin, meeting.id)  # the admin opened the form
    meetings.record_meeting_decision(manager, meeting, item.id, {"outcome": "prioritised", "rationale": WHY})
    with pytest.raises(InvalidState, match="allerede ført"):
        meetings.record_meeting_decision(admin, meeting_seen, item.id, {"outcome": "rejected", "rationale": "Nei."})
    assert db.session.scalar(select(func.count(Decision.id))) == 1


def _at_once(app, calls) -> list[str]:
    """Each call (person id, meeting id, item id, values, based_on) in its own thread and
    connection, released together at a barrier: "recorded" or "refused" for each."""
    barrier = threading.Barrier(len(calls))
    results: list[str] = []

    def record(person_id, meeting_id, item_id, values, based_on):
        with app.app_context():
            person = db.session.get(User, person_id)
            meeting = meetings.get_meeting(person, meeting_id)
            barrier.wait()
            try:
                meetings.record_meeting_decision(person, meeting, item_id, values, based_on=based_on)
                results.append("recorded")
            except InvalidState:
                results.append("refused")
            finally:
                db.session.remove()

    threads = [threading.Thread(target=record, args=call) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return sorted(results)


def test_two_staff_recording_one_item_at_the_same_moment_make_one_decision(app, backend):
    """The locked agenda item lets one in; the other is told what the first recorded, and the
    same for two corrections of one decision. PostgreSQL (SQLite has one writer at a time)."""
    if backend != "postgresql":
        pytest.skip("the concurrency proof runs on PostgreSQL (set TEST_DATABASE_URL)")
    one, two = (make_user(role=Role.PORTFOLIO_MANAGER).id for _ in range(2))
    make_criteria()
    for n in range(5):
        project = make_project(f"Sak {n}")
        meeting = make_meeting(db.session.get(User, one), title=f"Møte {n}")
        meetings.add_to_agenda(db.session.get(User, one), meeting, [project.id])
        item_id, meeting_id = items(meeting)[0].id, meeting.id
        db.session.remove()
        assert _at_once(app, [(one, meeting_id, item_id, {"outcome": "prioritised", "rationale": WHY}, None),
                              (two, meeting_id, item_id, {"outcome": "rejected", "rationale": "Nei."}, None)]
                        ) == ["recorded", "refused"]
        decision = db.session.scalar(select(Decision).where(Decision.meeting_id == meeting_id))
        token = meetings.decision_token(decision)
        db.session.remove()
        assert _at_once(app, [(one, meeting_id, item_id, {"outcome": "sent_back", "rationale": "Mer."}, token),
                              (two, meeting_id, item_id, {"outcome": "rejected", "rationale": "Nei."}, token)]
                        ) == ["recorded", "refused"]
        assert db.session.scalar(select(func.count(Decision.id)).where(Decision.meeting_id == meeting_id)) == 1


# --- a decision outside a meeting follows the same rules ---------------------------------


def test_a_decision_outside_a_meeting_has_the_same_rules(manager, board):
    with pytest.raises(InvalidInput) as caught:
        services.record_decision(manager, board["best"], "2026-02-01", "deferred", "Venter.")
    assert "deferred_to" in caught.value.fields
    decision = services.record_decision(manager, board["best"], "2026-02-01", "deferred", "Venter.",
                                        deferred_to="2026-08-01")
    assert decision.meeting_id is None and decision.deferred_to == date(2026, 8, 1)
    with pytest.raises(InvalidInput, match="seg selv"):
        services.record_decision(manager, board["best"], "2026-02-01", "merged", "Samme sak.",
                                 merged_into_id=board["best"].id)


# --- followers and the project page -------------------------------------------------------


def _notices(person, kind="follows.project_decision") -> list[Notice]:
    return list(db.session.scalars(select(Notice).where(Notice.user_id == person.id, Notice.kind == kind)))


def test_the_followers_of_a_public_project_hear_of_its_decision(manager, resident, board):
    follows.follow(resident, "project", board["best"].id)
    follows.follow(manager, "project", board["best"].id)
    meeting = prepared(manager, board)
    meetings.record_meeting_decision(manager, meeting, item_of(meeting, board["best"]).id, {
        "outcome": "deferred", "deferred_to": "2026-09-01", "rationale": "Venter på reguleringsplanen."})
    [notice] = _notices(resident)
    assert "Trygg skolevei" in notice.subject and "Utsatt" in notice.subject
    assert "Venter på reguleringsplanen." in notice.body and "1. sep. 2026" in notice.body
    assert notice.url.endswith(f"/portfolio/projects/{board['best'].id}#decisions")
    assert _notices(manager) == []  # never the one who recorded it


def test_an_internal_projects_decision_reaches_only_its_staff_followers(manager, moderator, board):
    resident = make_user()
    # A resident cannot follow an internal project; one who did while it was public is not told.
    db.session.add(__import__("app.notifications.models", fromlist=["Follow"]).Follow(
        user_id=resident.id, target_type="project", target_id=board["middle"].id))
    db.session.commit()
    follows.follow(moderator, "project", board["middle"].id)
    meeting = prepared(manager, board)
    meetings.record_meeting_decision(manager, meeting, item_of(meeting, board["middle"]).id, {
        "outcome": "merged", "merged_into_id": board["best"].id, "rationale": "Samme behov."})
    assert _notices(resident) == []
    [notice] = _notices(moderator)
    assert "Slått sammen" in notice.subject and "Trygg skolevei" in notice.body


def test_a_corrected_decision_says_so(manager, resident, board):
    follows.follow(resident, "project", board["best"].id)
    meeting = prepared(manager, board)
    item = item_of(meeting, board["best"])
    first = meetings.record_meeting_decision(manager, meeting, item.id, {"outcome": "prioritised", "rationale": WHY})
    meetings.record_meeting_decision(manager, meeting, item.id, {"outcome": "sent_back", "rationale": "Mangler tall."},
                                     based_on=meetings.decision_token(first))
    subjects = [n.subject for n in _notices(resident)]
    assert any("er rettet: Sendt tilbake" in s for s in subjects), subjects


def test_the_project_page_shows_the_decision_publicly_and_an_internal_one_to_staff(client, manager, board):
    meeting = prepared(manager, board)
    meetings.record_meeting_decision(manager, meeting, item_of(meeting, board["best"]).id, {
        "outcome": "merged", "merged_into_id": board["middle"].id, "rationale": "Løses i samme løft."})
    meetings.record_meeting_decision(manager, meeting, item_of(meeting, board["middle"]).id, {
        "outcome": "deferred", "deferred_to": "2026-10-01", "rationale": "Avventer anbud."})
    page = client.get(f"/portfolio/projects/{board['best'].id}").get_data(as_text=True)
    assert "Slått sammen" in page and "Løses i samme løft." in page
    assert "slått sammen med et internt prosjekt" in page  # the internal project is not named
    assert "Nytt sak- og arkivsystem" not in page
    assert f"/staff/meetings/{meeting.id}" not in page  # the meeting is for staff
    assert client.get(f"/portfolio/projects/{board['middle'].id}").status_code == 404
    client = signed_in(client.application, manager)
    page = client.get(f"/portfolio/projects/{board['best'].id}").get_data(as_text=True)
    assert "Nytt sak- og arkivsystem" in page and f"/staff/meetings/{meeting.id}" in page
    page = client.get(f"/portfolio/projects/{board['middle'].id}").get_data(as_text=True)
    assert "Avventer anbud." in page and "utsatt til 1. okt. 2026" in page


# --- the pages ----------------------------------------------------------------------------


def signed_in(app, user):
    client = app.test_client()
    login(client, user)
    return client


def test_meeting_pages_are_for_staff_and_forms_for_portfolio_managers(app, client, manager, moderator, resident,
                                                                      board):
    meeting = prepared(manager, board)
    item = items(meeting)[0]
    reading = ["/staff/meetings", f"/staff/meetings/{meeting.id}", f"/staff/meetings/{meeting.id}/decisions.csv"]
    managing = ["/staff/meetings/new", f"/staff/meetings/{meeting.id}/edit", f"/staff/meetings/{meeting.id}/agenda",
                f"/staff/meetings/{meeting.id}/items/{item.id}/decision"]
    for path in reading + managing:
        assert client.get(path).status_code == 302, path  # to the login
    as_resident = signed_in(app, resident)
    for path in reading + managing:
        assert as_resident.get(path).status_code == 403, path
    as_moderator = signed_in(app, moderator)
    for path in reading:
        assert as_moderator.get(path).status_code == 200, path
    for path in managing:
        assert as_moderator.get(path).status_code == 403, path
    client = signed_in(app, manager)
    for path in reading + managing:
        assert client.get(path).status_code == 200, path
    assert client.get(f"/staff/meetings/{meeting.id + 1000}").status_code == 404
    other = make_meeting(manager, title="Annet")
    assert client.get(f"/staff/meetings/{other.id}/items/{item.id}/decision").status_code == 404


def test_a_manager_sets_up_a_meeting_and_takes_projects_from_the_board(client, manager, moderator, board):
    login(client, manager)
    page = client.get("/staff/meetings/new").get_data(as_text=True)
    assert "Mona Moderator" in page  # staff to choose from
    response = client.post("/staff/meetings/new", data={
        "title": "Forum april", "meeting_date": "2026-04-14", "participant_ids": [str(manager.id), str(moderator.id)],
        "guests": "Kari Konsulent", "budget": "5 000 000"})
    assert response.status_code == 302 and "/agenda" in response.headers["Location"]
    meeting = db.session.scalar(select(Meeting))
    assert meeting.budget == 5_000_000 and len(meeting.participants) == 2
    page = client.get(f"/staff/meetings/{meeting.id}/agenda").get_data(as_text=True)
    assert "Trygg skolevei" in page and "Ny barnehage" not in page and "Budsjettstreken" in page
    response = client.post(f"/staff/meetings/{meeting.id}/agenda",
                           data={"project_ids": [str(board["last"].id), str(board["best"].id)]})
    assert response.status_code == 302
    assert [i.project_id for i in items(meeting)] == [board["best"].id, board["last"].id]
    page = client.get(f"/staff/meetings/{meeting.id}").get_data(as_text=True)
    assert page.index("Trygg skolevei") < page.index("Lys i lysløypa")
    assert "Kari Konsulent" in page and "Per Porteføljesen" in page


def test_nothing_chosen_on_the_agenda_page_says_so_next_to_the_list(client, manager, board):
    login(client, manager)
    meeting = make_meeting(manager)
    response = client.post(f"/staff/meetings/{meeting.id}/agenda", data={})
    assert response.status_code == 422
    assert 'id="project_ids-error"' in response.get_data(as_text=True)


def test_a_meeting_form_with_errors_keeps_what_was_typed(client, manager):
    login(client, manager)
    response = client.post("/staff/meetings/new", data={
        "title": "Forum for juni", "meeting_date": "", "guests": "Ola Gjest", "budget": "mange penger"})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert 'id="meeting_date-error"' in page and 'id="budget-error"' in page
    assert 'value="Forum for juni"' in page and "Ola Gjest" in page and 'value="mange penger"' in page
    assert db.session.scalar(select(func.count(Meeting.id))) == 0


def test_the_minutes_form_records_a_decision_and_keeps_input_on_error(client, manager, board):
    meeting = prepared(manager, board)
    item = item_of(meeting, board["best"])
    login(client, manager)
    url = f"/staff/meetings/{meeting.id}/items/{item.id}/decision"
    response = client.post(url, data={"outcome": "deferred", "rationale": "Vi venter på reguleringen."})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert 'id="deferred_to-error"' in page and "Skriv datoen saken er utsatt til." in page
    assert "Vi venter på reguleringen." in page
    response = client.post(url, data={"outcome": "merged", "merged_into_id": str(board["best"].id),
                                      "rationale": "Samme."})
    assert "kan ikke slås sammen med seg selv" in response.get_data(as_text=True)
    response = client.post(url, data={"outcome": "deferred", "deferred_to": "2026-08-20",
                                      "rationale": "Vi venter på reguleringen."})
    assert response.status_code == 302 and response.headers["Location"].endswith(f"#item-{item.id}")
    # Someone else's form, sent without having seen this decision: refused, the text kept.
    response = client.post(url, data={"outcome": "rejected", "rationale": "Min egen tekst"})
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert "har allerede ført beslutningen" in page and "Min egen tekst" in page


def test_the_merge_target_is_found_by_its_title_not_its_number(client, manager, board):
    meeting = prepared(manager, board)
    item = item_of(meeting, board["best"])
    login(client, manager)
    page = client.get(f"/staff/meetings/{meeting.id}/items/{item.id}/decision?merge_q=lys").get_data(as_text=True)
    assert "Lys i lysløypa" in page and f"merge_into={board['last'].id}" in page
    page = client.get(f"/staff/meetings/{meeting.id}/items/{item.id}/decision?merge_q=skolevei").get_data(as_text=True)
    assert "Ingen treff" in page  # itself is not offered


def test_the_meeting_csv_lists_its_decisions_safe_for_a_spreadsheet(client, manager, board):
    meeting = prepared(manager, board)
    meetings.record_meeting_decision(manager, meeting, item_of(meeting, board["best"]).id, {
        "outcome": "prioritised", "rationale": "=HYPERLINK(\"http://evil\")"})
    meetings.record_meeting_decision(manager, meeting, item_of(meeting, board["last"]).id, {
        "outcome": "merged", "merged_into_id": board["best"].id, "rationale": "Samme sak."})
    login(client, manager)
    response = client.get(f"/staff/meetings/{meeting.id}/decisions.csv")
    assert response.headers["Content-Type"].startswith("text/csv")
    text = response.get_data(as_text=True)
    assert text.startswith(BOM)
    lines = text.lstrip(BOM).strip().splitlines()
    assert len(lines) == 3
    assert lines[1].startswith("1;Trygg skolevei;") and ";Prioritert;" in lines[1]
    assert "'=HYPERLINK" in lines[1]
    assert ";Slått sammen;;Trygg skolevei;Samme sak.;" in lines[2]


def test_the_api_records_a_decision_by_the_same_rules_and_shows_what_it_says(client, manager, board):
    from app.accounts import services as accounts

    _token, raw = accounts.create_api_token(manager, "forum")
    headers = {"Authorization": f"Bearer {raw}"}
    url = f"/api/v1/projects/{board['best'].id}/decisions"
    response = client.post(url, json={"meeting_date": "2026-03-01", "decision": "deferred", "rationale": "Vent"},
                           headers=headers)
    assert response.status_code == 422
    assert "deferred_to" in response.get_json()["error"]["fields"]
    response = client.post(url, json={"meeting_date": "2026-03-01", "decision": "merged", "rationale": "Samme",
                                      "merged_into_id": board["best"].id}, headers=headers)
    assert response.status_code == 422
    assert "seg selv" in response.get_json()["error"]["fields"]["merged_into_id"][0]
    response = client.post(url, json={"meeting_date": "2026-03-01", "decision": "merged", "rationale": "Samme",
                                      "merged_into_id": board["middle"].id}, headers=headers)
    assert response.status_code == 201 and response.get_json()["merged_into_id"] == board["middle"].id
    client.post(url, json={"meeting_date": "2026-04-01", "decision": "deferred", "deferred_to": "2026-09-01",
                           "rationale": "Vent"}, headers=headers)
    # A visitor reads the decisions of a public project, never the id of an internal one.
    decisions = client.get(f"/api/v1/projects/{board['best'].id}").get_json()["decisions"]
    assert [(d["decision"], d["deferred_to"], d["merged_into_id"]) for d in decisions] == [
        ("deferred", "2026-09-01", None), ("merged", None, None)]


def test_the_demo_holds_a_meeting_with_every_outcome_and_plans_the_next(app, manager, admin, moderator):
    from app.portfolio.demo_meetings import seed_meetings

    make_criteria()
    for n in range(10):
        score(make_project(f"Demoprosjekt {n}", cost=(n + 1) * 1_000_000), 5 - n % 5)
    held, planned = seed_meetings([manager, admin, moderator])
    assert held.status == MeetingStatus.HELD and planned.status == MeetingStatus.PLANNED
    outcomes = sorted(d.outcome.value for d in db.session.scalars(select(Decision).where(Decision.meeting_id == held.id)))
    assert outcomes == ["deferred", "merged", "prioritised", "prioritised", "sent_back"]
    assert [i.board_fits for i in items(held)] == [True, True, True, True, False]
    assert len(items(planned)) == 4


def test_the_meeting_pages_cost_the_same_queries_for_more_items(app, manager):
    from tests.portfolio.conftest import count_queries

    make_criteria()
    client = signed_in(app, manager)

    def measure(n: int) -> dict[str, int]:
        projects = [make_project(f"Sak {n}-{k}", public=k % 2 == 0) for k in range(n)]
        meeting = make_meeting(manager, title=f"Møte {n}", participant_ids=[manager.id])
        meetings.add_to_agenda(manager, meeting, [p.id for p in projects])
        for k, item in enumerate(items(meeting)):
            values = {"outcome": "merged", "merged_into_id": projects[0].id} if k else {"outcome": "prioritised"}
            meetings.record_meeting_decision(manager, meeting, item.id, {**values, "rationale": WHY})
        counts = {}
        for name, path in (("meeting", f"/staff/meetings/{meeting.id}"), ("list", "/staff/meetings"),
                           ("csv", f"/staff/meetings/{meeting.id}/decisions.csv"),
                           ("log", "/staff/portfolio/changes"), ("log_csv", "/staff/portfolio/changes.csv"),
                           ("project", f"/portfolio/projects/{projects[0].id}")):
            client.get(path)  # warm the caches
            with count_queries() as counter:
                assert client.get(path).status_code == 200, path
            counts[name] = counter.count
        return counts

    assert measure(3) == measure(12)
