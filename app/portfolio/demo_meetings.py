"""The demo's forum meetings (`flask seed-demo`, called from the portfolio demo): a meeting held
last week whose minutes record every kind of decision, and the next one, planned, with its
agenda taken from the board. All through the services people use."""

from datetime import date, timedelta

from app.accounts.models import Role, User
from app.extensions import db
from app.portfolio import meetings, queries
from app.portfolio.models import Meeting

GUESTS = "Kari Konsulent, Vestfold IKT-samarbeid\nOla Revisor, kommunerevisjonen"


def _board() -> tuple[list[int], list[int]]:
    """The board's projects, best first, and the running sum of their costs."""
    board = queries.board(queries.ProjectFilters())
    return [row.project.id for row in board.rows], [row.cumulative_cost for row in board.rows]


def _line_between(running: list[int], index: int) -> str:
    """A budget line between the running sums at `index` and the next (in round 100 000s), so
    it falls below the project at index + 1 whatever the projects cost."""
    middle = (running[index] + running[index + 1]) // 2
    return str(max(running[index], middle // 100_000 * 100_000))


def seed_meetings(people: list[User]) -> list[Meeting]:
    """A held meeting (prioritised, deferred, merged, sent back, rejected) and a planned one."""
    managers = [p for p in people if p.role == Role.PORTFOLIO_MANAGER]
    staff = [p for p in people if p.role in (Role.PORTFOLIO_MANAGER, Role.MODERATOR, Role.ADMIN)]
    if not managers:
        return []
    # A manager for the whole municipality records the minutes (one limited to an area could
    # not decide on the others' projects).
    chair = (next((m for m in managers if not getattr(m, "areas", None)), None)
             or next(p for p in people if p.role == Role.ADMIN))
    ranked, running = _board()
    if len(ranked) < 9:
        return []
    today = date.today()
    held_on = today - timedelta(days=7)

    held = meetings.create_meeting(chair, {
        "title": "Porteføljeforum – prioritering før økonomiplanen",
        "meeting_date": held_on.isoformat(),
        "participant_ids": [p.id for p in staff[:6]],
        # Four of the five fit within the line; the fifth is below it.
        "guests": GUESTS, "budget": _line_between(running, 3),
    })
    meetings.add_to_agenda(chair, held, ranked[:5])
    items = {item.project_id: item for item in db.session.get(Meeting, held.id).agenda}
    first, second, third, fourth, fifth = (items[pid] for pid in ranked[:5])
    titles = {item.project_id: item.project.title for item in items.values()}
    minutes = [
        (first, {"outcome": "prioritised",
                 "rationale": "Høyest rangert på tavla, med bred støtte fra innbyggerne og alle kompetansegruppene. "
                              "Får plass innenfor rammen for neste år."}),
        (second, {"outcome": "prioritised",
                  "rationale": "Gir gevinst i flere virksomhetsområder. Forutsetter at driftskostnadene "
                               "tas inn i budsjettet for hvert år i planperioden."}),
        (third, {"outcome": "deferred", "deferred_to": (today + timedelta(days=90)).isoformat(),
                 "rationale": "Venter på avklaring om statlig tilskudd. Tas opp igjen når svaret foreligger."}),
        (fourth, {"outcome": "merged", "merged_into_id": str(first.project_id),
                  "rationale": f"Dekker mye av det samme behovet som «{titles[first.project_id]}». "
                               "Løses i samme prosjekt, så kommunen ikke gjør jobben to ganger."}),
        (fifth, {"outcome": "sent_back",
                 "rationale": "Kostnadsanslaget mangler driftskostnader og gevinstene er ikke beskrevet. "
                              "Sendes tilbake til eieren for mer informasjon."}),
    ]
    for item, values in minutes:
        meetings.record_meeting_decision(chair, held, item.id, values)
    meetings.update_meeting(chair, held, {"status": "held"})

    planned = meetings.create_meeting(chair, {
        "title": "Porteføljeforum – neste møte",
        "meeting_date": (today + timedelta(days=21)).isoformat(),
        "participant_ids": [p.id for p in staff[:5]],
        "guests": "", "budget": _line_between(running, 6),
    })
    meetings.add_to_agenda(chair, planned, [pid for pid in ranked[5:9]])
    return [held, planned]
