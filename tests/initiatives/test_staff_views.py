"""The staff screens: the moderation queue, deadlines, signers and CSV, paper lists, decisions."""

import io
import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from app.core.csv import BOM
from app.core.db import utcnow
from app.extensions import db
from app.initiatives import services
from app.initiatives.models import Initiative, InitiativeStatus, PaperSignatureBatch
from tests.factories import login, make_user
from tests.initiatives.factories import (
    make_collecting,
    make_moderator,
    make_proposal,
    make_staff,
    sign_many,
)

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def _text(response) -> str:
    return response.get_data(as_text=True)


def _plain(response) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", _text(response)).split())


def _stored(initiative_id: int) -> Initiative:
    db.session.expire_all()
    return db.session.get(Initiative, initiative_id)


def _submitted(app, *, days_ago: int = 0) -> Initiative:
    app.config["POPULATION"] = 50
    initiative = make_collecting()
    sign_many(initiative.id, 1)
    return services.submit_initiative(initiative.proposer, initiative.id,
                                      now=utcnow() - timedelta(days=days_ago))


# --- who gets in --------------------------------------------------------------------------

STAFF_PAGES = ["/staff/initiatives", "/staff/initiatives/{id}", "/staff/initiatives/{id}/signers.csv"]


@pytest.mark.parametrize("path", STAFF_PAGES)
@pytest.mark.parametrize(("role", "status"), [
    ("resident", 403), ("moderator", 403), ("portfolio_manager", 200), ("admin", 200),
])
def test_case_pages_are_for_case_workers(app, client, path, role, status):
    initiative = make_collecting()
    login(client, make_user(role=role))
    assert client.get(path.format(id=initiative.id)).status_code == status


@pytest.mark.parametrize(("role", "status"), [
    ("resident", 403), ("portfolio_manager", 403), ("moderator", 200), ("admin", 200),
])
def test_the_moderation_queue_is_for_moderators(app, client, role, status):
    login(client, make_user(role=role))
    assert client.get("/staff/initiatives/moderation").status_code == status


def test_visitors_are_sent_to_log_in(app, client):
    initiative = make_collecting()
    for path in [*STAFF_PAGES, "/staff/initiatives/moderation"]:
        response = client.get(path.format(id=initiative.id))
        assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_staff_menu_links_with_waiting_counts(app, client):
    make_proposal()
    login(client, make_moderator())
    page = _text(client.get("/"))
    assert 'href="/staff/initiatives/moderation"' in page and "Godkjenn innbyggerforslag" in page
    assert re.search(r"Godkjenn innbyggerforslag<span class=\"nav-count\"><span class=\"ds-sr-only\">, </span>1", page)


# --- moderation ---------------------------------------------------------------------------


def test_moderator_approves_from_the_queue(app, client):
    initiative = make_proposal(title="Lys i lysløypa hele vinteren")
    login(client, make_moderator())
    queue = _plain(client.get("/staff/initiatives/moderation"))
    assert "Lys i lysløypa hele vinteren" in queue and "Kommunestyret ber kommunedirektøren" in queue
    response = client.post(f"/staff/initiatives/{initiative.id}/approve")
    assert response.status_code == 303
    assert "er godkjent. Innsamlingen av underskrifter har startet." in _plain(client.get(response.headers["Location"]))
    assert _stored(initiative.id).status == InitiativeStatus.COLLECTING
    # Twice: the second says it is done already.
    response = client.post(f"/staff/initiatives/{initiative.id}/approve", follow_redirects=True)
    assert "allerede behandlet av en moderator" in _plain(response)


def test_refusal_without_a_reason_shows_the_error_next_to_the_field(app, client):
    initiative = make_proposal()
    login(client, make_moderator())
    response = client.post(f"/staff/initiatives/{initiative.id}/refuse", data={f"refuse-{initiative.id}-reason": "kort"})
    assert response.status_code == 422
    page = _text(response)
    assert f'id="refuse-{initiative.id}-reason-error"' in page and "minst 10 tegn" in page
    assert re.search(r">\s*kort</textarea>", page)
    response = client.post(f"/staff/initiatives/{initiative.id}/refuse",
                           data={f"refuse-{initiative.id}-reason": "Forslaget navngir en ansatt. Fjern navnet."})
    assert response.status_code == 303
    assert _stored(initiative.id).status == InitiativeStatus.REFUSED


def test_moderation_of_unknown_ids_is_404(app, client):
    login(client, make_moderator())
    assert client.post("/staff/initiatives/2147483647/approve").status_code == 404
    assert client.post("/staff/initiatives/99999999999/approve").status_code == 404
    assert client.post("/staff/initiatives/2147483647/refuse", data={"refuse-2147483647-reason": "x" * 20}).status_code == 404


# --- deadlines -------------------------------------------------------------------------------


def test_deadlines_list_overdue_first(app, client):
    recent = _submitted(app, days_ago=10)
    overdue = _submitted(app, days_ago=200)
    middle = _submitted(app, days_ago=100)
    login(client, make_staff())
    response = client.get("/staff/initiatives")
    page = _text(response)
    order = [page.index(f'href="/staff/initiatives/{i.id}"') for i in (overdue, middle, recent)]
    assert order == sorted(order)
    assert "dager over fristen" in _plain(response)
    # The staff menu counts the overdue ones.
    assert re.search(r"Innbyggerforslag: frister<span class=\"nav-count\"><span class=\"ds-sr-only\">, </span>1", page)


# --- one initiative: signers, CSV -----------------------------------------------------------


def test_staff_see_every_signer_and_the_contact_address(app, client):
    initiative = make_collecting()
    shown, hidden = make_user(name="Synne Synlig"), make_user(name="Hilde Skjult")
    services.sign(shown, initiative.id, confirmed_resident=True, show_name=True)
    services.sign(hidden, initiative.id, confirmed_resident=True)
    login(client, make_staff())
    page = _plain(client.get(f"/staff/initiatives/{initiative.id}"))
    assert "Synne Synlig" in page and "Hilde Skjult" in page
    assert "forslag@example.no" in page
    # The public page names only the one who chose so.
    client.post("/logout")
    public = _plain(client.get(f"/initiatives/{initiative.id}"))
    assert "Synne Synlig" in public and "Hilde Skjult" not in public


def test_signer_list_downloads_as_csv_safe_for_excel(app, client):
    initiative = make_collecting()
    evil = make_user(name="=HYPERLINK(\"http://x\") Nordmann")
    services.sign(evil, initiative.id, confirmed_resident=True, show_name=True)
    services.sign(make_user(name="Ola Nordmann"), initiative.id, confirmed_resident=True)
    login(client, make_staff())
    response = client.get(f"/staff/initiatives/{initiative.id}/signers.csv")
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/csv")
    assert f"underskrifter-innbyggerforslag-{initiative.id}.csv" in response.headers["Content-Disposition"]
    body = _text(response)
    assert body.startswith(BOM + "Navn;Signert;Bekreftet med ID-porten;Navnet vises offentlig")
    lines = body.strip().splitlines()
    assert len(lines) == 3
    assert lines[1].startswith("\"'=HYPERLINK") and lines[1].endswith(";nei;ja")
    assert lines[2].startswith("Ola Nordmann;") and lines[2].endswith(";nei;nei")


def test_waiting_initiatives_have_no_case_page(app, client):
    initiative = make_proposal()
    login(client, make_staff())
    assert client.get(f"/staff/initiatives/{initiative.id}").status_code == 404
    assert client.get(f"/staff/initiatives/{initiative.id}/signers.csv").status_code == 404


# --- paper signatures -----------------------------------------------------------------------


def test_paper_signatures_with_a_scan_for_staff_only(app, client):
    initiative = make_collecting()
    staff = make_staff()
    login(client, staff)
    response = client.post(f"/staff/initiatives/{initiative.id}/paper", data={
        "count": "1 204", "note": "Fra biblioteket", "scan": (io.BytesIO(PDF), "lister.pdf"),
    }, content_type="multipart/form-data")
    assert response.status_code == 303
    assert "1204 underskrifter på papir er registrert." in _plain(client.get(response.headers["Location"]))
    assert _stored(initiative.id).paper_signature_count == 1204
    batch = db.session.scalar(select(PaperSignatureBatch))
    assert batch.registered_by_id == staff.id
    page = _text(client.get(f"/staff/initiatives/{initiative.id}"))
    assert f'href="/staff/initiatives/scans/{batch.id}"' in page and staff.full_name in page
    scan = client.get(f"/staff/initiatives/scans/{batch.id}")
    assert scan.status_code == 200 and scan.data == PDF
    assert scan.headers["Content-Type"] == "application/pdf"
    assert scan.headers["Content-Disposition"].startswith("attachment")
    assert "no-store" in scan.headers["Cache-Control"]
    client.post("/logout")
    assert client.get(f"/staff/initiatives/scans/{batch.id}").status_code == 302
    login(client, make_user())
    assert client.get(f"/staff/initiatives/scans/{batch.id}").status_code == 403
    login(client, make_moderator())
    assert client.get(f"/staff/initiatives/scans/{batch.id}").status_code == 403
    # The public sees the count, never the scan.
    client.post("/logout")
    public = _text(client.get(f"/initiatives/{initiative.id}"))
    assert "/staff/initiatives/scans/" not in public and "1204 på papir" in _plain(client.get(f"/initiatives/{initiative.id}"))


def test_paper_form_errors_sit_next_to_their_fields(app, client):
    initiative = make_collecting()
    login(client, make_staff())
    response = client.post(f"/staff/initiatives/{initiative.id}/paper", data={
        "count": "mange", "note": "Notat beholdes", "scan": (io.BytesIO(PDF), "lister.pdf"),
    }, content_type="multipart/form-data")
    assert response.status_code == 422
    page = _text(response)
    assert 'id="count-error"' in page and "helt tall" in page
    assert 'id="scan-error"' in page and "Velg filen på nytt" in page
    assert 'value="mange"' in page and "Notat beholdes" in page
    response = client.post(f"/staff/initiatives/{initiative.id}/paper", data={
        "count": "10", "scan": (io.BytesIO(b"<svg onload=alert(1)>"), "lister.pdf"),
    }, content_type="multipart/form-data")
    assert response.status_code == 422 and "ikke en PDF, PNG eller JPEG" in _text(response)
    response = client.post(f"/staff/initiatives/{initiative.id}/paper", data={"count": "10"},
                           content_type="multipart/form-data")
    assert response.status_code == 422 and "Last opp en skanning" in _text(response)
    assert _stored(initiative.id).paper_signature_count == 0


def test_unknown_scans_are_404(app, client):
    login(client, make_staff())
    assert client.get("/staff/initiatives/scans/2147483647").status_code == 404
    assert client.get("/staff/initiatives/scans/0").status_code == 404


# --- decision, same content, measures --------------------------------------------------------


def test_record_the_decision_and_measures_from_the_case_page(app, client):
    initiative = _submitted(app)
    login(client, make_staff())
    today = services.local_today().isoformat()
    response = client.post(f"/staff/initiatives/{initiative.id}/decision", data={
        "case_number": "2026/1234", "meeting_date": today, "text": "Kommunestyret vedtar forslaget.",
        "url": "https://einnsyn.no/saksmappe?id=1",
    })
    assert response.status_code == 303
    response = client.post(f"/staff/initiatives/{initiative.id}/measures", data={
        "measure-text": "Busskort er bestilt til alle skolene.", "measure-carried_out_on": today,
    })
    assert response.status_code == 303
    client.post("/logout")
    public = _plain(client.get(f"/initiatives/{initiative.id}"))
    assert "Kommunestyrets vedtak" in public and "2026/1234" in public
    assert "Kommunestyret vedtar forslaget." in public
    assert "Busskort er bestilt til alle skolene." in public
    assert 'href="https://einnsyn.no/saksmappe?id=1" rel="nofollow noopener"' in _text(client.get(f"/initiatives/{initiative.id}"))


def test_decision_errors_keep_the_input(app, client):
    initiative = _submitted(app)
    login(client, make_staff())
    response = client.post(f"/staff/initiatives/{initiative.id}/decision", data={
        "case_number": "2026/1234", "meeting_date": "31.12.2026", "text": "Vedtatt slik det står.",
        "url": "javascript:alert(1)",
    })
    assert response.status_code == 422
    page = _text(response)
    assert 'id="meeting_date-error"' in page and 'id="url-error"' in page
    assert 'value="2026/1234"' in page and "Vedtatt slik det står." in page
    assert _stored(initiative.id).status == InitiativeStatus.SUBMITTED


def test_same_content_from_the_case_page(app, client):
    app.config["ELECTION_PERIOD_START_YEAR"] = 2023
    initiative = _submitted(app)
    login(client, make_staff())
    response = client.post(f"/staff/initiatives/{initiative.id}/same-content", data={
        "same-case_number": "2019/5", "same-case_title": "Gratis buss", "same-case_date": "2019-11-01",
    })
    assert response.status_code == 422 and "før denne valgperioden begynte" in _text(response)
    response = client.post(f"/staff/initiatives/{initiative.id}/same-content", data={
        "same-case_number": "2024/5", "same-case_title": "Gratis buss for unge", "same-case_date": "2024-11-01",
    })
    assert response.status_code == 303
    public = _plain(client.get(f"/initiatives/{initiative.id}"))
    assert "Avvist: samme innhold som en tidligere sak" in public and "Gratis buss for unge" in public


def test_state_errors_come_back_as_a_message(app, client):
    initiative = make_collecting()
    login(client, make_staff())
    response = client.post(f"/staff/initiatives/{initiative.id}/decision", data={
        "case_number": "2026/1", "meeting_date": services.local_today().isoformat(), "text": "Vedtatt.",
    }, follow_redirects=True)
    assert "Bare et innsendt forslag kan få registrert vedtak." in _plain(response)
