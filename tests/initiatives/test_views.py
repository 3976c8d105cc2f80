"""The public pages of innbyggerforslag: what they show, to whom, and what the forms do."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from app.core.db import utcnow
from app.extensions import db
from app.ideas.models import Idea
from app.initiatives import services
from app.initiatives.models import Initiative, InitiativeStatus, Signature
from tests.factories import login, make_service_area, make_user
from tests.initiatives.factories import (
    make_collecting,
    make_moderator,
    make_proposal,
    make_staff,
    sign_many,
    verify,
)


def _text(response) -> str:
    return response.get_data(as_text=True)


def _plain(response) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", _text(response)).split())


# --- the list -----------------------------------------------------------------------------


def test_list_shows_public_initiatives_with_filters_and_hides_waiting_ones(app, client):
    collecting = make_collecting(title="Lys i lysløypa hele vinteren")
    waiting = make_proposal(title="Hemmelig forslag som venter")
    response = client.get("/initiatives")
    assert response.status_code == 200
    page = _text(response)
    assert collecting.title in page and waiting.title not in page
    assert '<meta name="description" content="Innbyggerforslag til kommunestyret' in page
    assert "Samler underskrifter (1)" in _plain(response)
    assert client.get("/initiatives?status=submitted").status_code == 200
    assert collecting.title not in _text(client.get("/initiatives?status=submitted"))
    assert collecting.title in _text(client.get("/initiatives?status=collecting"))


@pytest.mark.parametrize("query", ["?status=%00", "?status=" + "x" * 5000, "?page=99999999999999999999",
                                   "?page=-1", "?per_page=0", "?status=collecting&page=abc"])
def test_list_survives_hostile_arguments(app, client, query):
    make_collecting()
    assert client.get("/initiatives" + query).status_code in (200, 400)


def test_list_is_paginated(app, client):
    app.config["PER_PAGE"] = 2
    for n in range(3):
        make_collecting(title=f"Forslag nummer {n} om fortau")
    page = _plain(client.get("/initiatives"))
    assert "3 forslag" in page and "side 1 av 2" in page
    assert "side 2 av 2" in _plain(client.get("/initiatives?page=2"))


def test_main_navigation_links_to_the_initiatives(app, client):
    assert re.search(r'href="/initiatives" *>Innbyggerforslag</a>', _text(client.get("/")))


# --- one initiative ---------------------------------------------------------------------


def test_initiative_page_shows_threshold_progress_and_timeline(app, client):
    app.config["POPULATION"] = 5_000
    initiative = make_collecting()
    sign_many(initiative.id, 3)
    response = client.get(f"/initiatives/{initiative.id}")
    assert response.status_code == 200
    page = _plain(response)
    assert "3 av 100 underskrifter som trengs" in page
    assert '<progress id="initiative-progress" class="initiative-progress__bar" max="100" value="3">' in _text(response)
    assert "Forslaget ble godkjent, og innsamlingen av underskrifter startet." in page
    assert "180 dager igjen" in page
    assert "Logg inn for å signere" in page
    assert "forslag@example.no" not in _text(response)  # the contact address is for staff


def test_waiting_initiative_is_seen_by_its_proposer_and_moderators_only(app, client):
    proposer = make_user()
    initiative = make_proposal(proposer)
    assert client.get(f"/initiatives/{initiative.id}").status_code == 404
    login(client, make_user())
    assert client.get(f"/initiatives/{initiative.id}").status_code == 404
    client.post("/logout")
    login(client, proposer)
    assert "venter på at en moderator godkjenner" in _plain(client.get(f"/initiatives/{initiative.id}"))
    client.post("/logout")
    login(client, make_moderator())
    assert client.get(f"/initiatives/{initiative.id}").status_code == 200


def test_refused_initiative_shows_the_reason_to_its_proposer(app, client):
    proposer = make_user()
    initiative = make_proposal(proposer)
    services.refuse_initiative(make_moderator(), initiative.id, "Forslaget navngir en ansatt. Fjern navnet.")
    login(client, proposer)
    page = _plain(client.get(f"/initiatives/{initiative.id}"))
    assert "Forslaget ble ikke godkjent" in page and "Forslaget navngir en ansatt." in page


@pytest.mark.parametrize("path", ["/initiatives/0", "/initiatives/2147483648", "/initiatives/99999999999999999999",
                                  "/initiatives/abc", "/initiatives/2147483647"])
def test_unknown_initiatives_are_404(app, client, path):
    assert client.get(path).status_code == 404


def test_an_ended_collection_shows_as_ended_before_the_job_has_run(app, client):
    initiative = make_collecting()
    initiative.collection_ends_at = utcnow() - timedelta(minutes=5)
    db.session.commit()
    page = _plain(client.get(f"/initiatives/{initiative.id}"))
    assert "Innsamlingen er avsluttet" in page and "Signer forslaget" not in page
    assert initiative.title in _text(client.get("/initiatives?status=closed"))
    assert initiative.title not in _text(client.get("/initiatives?status=collecting"))


# --- signing ------------------------------------------------------------------------------


def test_resident_signs_from_the_page_and_can_withdraw(app, client):
    initiative = make_collecting()
    person = make_user()
    login(client, person)
    assert "Signer forslaget" in _plain(client.get(f"/initiatives/{initiative.id}"))
    response = client.post(f"/initiatives/{initiative.id}/sign", data={"confirmed_resident": "y", "show_name": "y"})
    assert response.status_code == 303
    page = _plain(client.get(response.headers["Location"]))
    assert "Takk! Forslaget har nå 1 underskrift." in page
    assert "Du har signert" in page and "Disse har signert med navn" in page and person.full_name in page
    response = client.post(f"/initiatives/{initiative.id}/unsign")
    assert response.status_code == 303
    assert "Underskriften din er trukket tilbake." in _plain(client.get(response.headers["Location"]))
    assert db.session.scalar(select(Signature.id)) is None


def test_signing_without_the_residence_box_shows_the_error_next_to_it_and_keeps_the_choice(app, client):
    initiative = make_collecting()
    login(client, make_user())
    response = client.post(f"/initiatives/{initiative.id}/sign", data={"show_name": "y"})
    assert response.status_code == 422
    page = _text(response)
    assert 'id="confirmed_resident-error"' in page
    assert "Kryss av for at du er folkeregistrert som bosatt i" in page
    assert re.search(r'<input[^>]*checked[^>]*id="show_name"|<input[^>]*id="show_name"[^>]*checked', page)
    assert "Feil i skjemaet" in page
    assert db.session.scalar(select(Signature.id)) is None


def test_a_visitor_is_sent_to_log_in_before_signing(app, client):
    initiative = make_collecting()
    response = client.post(f"/initiatives/{initiative.id}/sign", data={"confirmed_resident": "y"})
    assert response.status_code == 303 and "/login" in response.headers["Location"]


def test_unverified_person_is_sent_to_verify_when_signing_needs_it(app, client):
    app.config["VERIFIED_IDENTITY_REQUIRED_FOR"] = "sign"
    initiative = make_collecting()
    person = make_user()
    login(client, person)
    assert "Bekreft med ID-porten og signer" in _plain(client.get(f"/initiatives/{initiative.id}"))
    response = client.post(f"/initiatives/{initiative.id}/sign", data={"confirmed_resident": "y"})
    assert response.status_code == 303 and "/verify" in response.headers["Location"]
    verify(person)
    assert client.post(f"/initiatives/{initiative.id}/sign", data={"confirmed_resident": "y"}).status_code == 303
    assert db.session.scalar(select(Signature.verified)) is True


def test_signing_a_waiting_or_unknown_initiative_is_404_and_an_ended_one_says_why(app, client):
    waiting = make_proposal()
    ended = make_collecting()
    ended.collection_ends_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    login(client, make_user())
    assert client.post(f"/initiatives/{waiting.id}/sign", data={"confirmed_resident": "y"}).status_code == 404
    assert client.post("/initiatives/2147483647/sign", data={"confirmed_resident": "y"}).status_code == 404
    response = client.post(f"/initiatives/{ended.id}/sign", data={"confirmed_resident": "y"}, follow_redirects=True)
    assert "fristen for å samle underskrifter har gått ut" in _plain(response)


def test_nul_bytes_in_a_form_are_refused_before_the_view(app, client):
    initiative = make_collecting()
    login(client, make_user())
    response = client.post(f"/initiatives/{initiative.id}/sign", data={"confirmed_resident": "y\x00"})
    assert response.status_code < 500
    response = client.post("/initiatives/new", data={"title": "Tittel\x00med null", "proposal": "x"})
    assert response.status_code < 500


# --- submit -------------------------------------------------------------------------------


def test_proposer_submits_from_the_page_when_the_threshold_is_reached(app, client):
    app.config["POPULATION"] = 50  # 1 signature needed
    proposer = make_user()
    initiative = make_collecting(proposer)
    login(client, proposer)
    assert "Forslaget mangler 1 underskrift før det kan sendes inn." in _plain(client.get(f"/initiatives/{initiative.id}"))
    response = client.post(f"/initiatives/{initiative.id}/submit", follow_redirects=True)
    assert "mangler 1 underskrift" in _plain(response)
    sign_many(initiative.id, 1)
    response = client.post(f"/initiatives/{initiative.id}/submit")
    assert response.status_code == 303
    page = _plain(client.get(response.headers["Location"]))
    assert "Forslaget er sendt inn." in page
    assert "Kommunestyret må ta stilling til forslaget innen" in page
    assert "dager igjen" in page


def test_someone_else_cannot_submit(app, client):
    app.config["POPULATION"] = 50
    initiative = make_collecting()
    sign_many(initiative.id, 1)
    login(client, make_user())
    response = client.post(f"/initiatives/{initiative.id}/submit", follow_redirects=True)
    assert "Bare den som fremmet forslaget, kan sende det inn." in _plain(response)
    assert db.session.get(Initiative, initiative.id).status == InitiativeStatus.COLLECTING


def test_overdue_deadline_shows_days_over(app, client):
    app.config["POPULATION"] = 50
    initiative = make_collecting()
    sign_many(initiative.id, 1)
    services.submit_initiative(initiative.proposer, initiative.id, now=utcnow() - timedelta(days=200))
    assert "dager over fristen" in _plain(client.get(f"/initiatives/{initiative.id}"))


# --- propose ------------------------------------------------------------------------------


def test_the_form_asks_a_visitor_to_log_in(app, client):
    response = client.get("/initiatives/new")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_propose_with_errors_keeps_everything_typed(app, client):
    area = make_service_area()
    login(client, make_user())
    response = client.post("/initiatives/new", data={
        "title": "Kort", "proposal": "Kommunestyret ber om lys i lysløypa hele vinteren.",
        "reasons": "", "service_area_ids": [str(area.id)], "contact_email": "ikke-en-adresse",
    })
    assert response.status_code == 422
    page = _text(response)
    assert 'id="title-error"' in page and "minst 10 tegn" in page
    assert 'id="reasons-error"' in page and 'id="contact_email-error"' in page
    assert "Kommunestyret ber om lys i lysløypa hele vinteren." in page
    assert 'value="ikke-en-adresse"' in page
    assert re.search(rf'value="{area.id}" checked', page)
    assert db.session.scalar(select(Initiative.id)) is None


def test_propose_and_land_on_the_waiting_page(app, client):
    area = make_service_area()
    person = make_user()
    login(client, person)
    response = client.get("/initiatives/new")
    assert f'value="{person.email}"' in _text(response)  # the contact address is prefilled
    response = client.post("/initiatives/new", data={
        "title": "Lys i lysløypa hele vinteren",
        "proposal": "Kommunestyret ber kommunedirektøren holde lyset på i lysløypa til kl. 22.",
        "reasons": "Mange går på ski etter jobb, og det er mørkt fra klokka fire.",
        "service_area_ids": [str(area.id)], "contact_email": "kari@example.no",
    })
    assert response.status_code == 303
    initiative = db.session.scalar(select(Initiative))
    assert initiative.status == InitiativeStatus.AWAITING_MODERATION
    assert "Forslaget er sendt til moderatorene." in _plain(client.get(response.headers["Location"]))


def test_an_idea_s_author_gets_one_click_to_an_initiative_and_both_pages_link(app, client):
    area = make_service_area()
    author = make_user()
    idea = Idea(title="Tryggere skolevei i Nordbygda", body="Fortau langs hele Skoleveien, før vinteren.",
                author_id=author.id, service_area_id=area.id)
    db.session.add(idea)
    db.session.commit()
    login(client, author)
    idea_page = _text(client.get(f"/ideas/{idea.id}"))
    assert f'href="/initiatives/new?from_idea={idea.id}"' in idea_page
    form = _text(client.get(f"/initiatives/new?from_idea={idea.id}"))
    assert 'value="Tryggere skolevei i Nordbygda"' in form
    assert "Fortau langs hele Skoleveien, før vinteren." in form
    assert f'name="from_idea_id" type="hidden" value="{idea.id}"' in form
    assert re.search(rf'value="{area.id}" checked', form)
    response = client.post("/initiatives/new", data={
        "title": "Tryggere skolevei i Nordbygda",
        "proposal": "Kommunestyret ber om fortau langs hele Skoleveien innen neste skoleår.",
        "reasons": "Fortau langs hele Skoleveien, før vinteren.",
        "service_area_ids": [str(area.id)], "contact_email": "kari@example.no", "from_idea_id": str(idea.id),
    })
    assert response.status_code == 303
    initiative = db.session.scalar(select(Initiative))
    assert initiative.from_idea_id == idea.id
    services.approve_initiative(make_moderator(), initiative.id)
    client.post("/logout")
    assert f'href="/initiatives/{initiative.id}"' in _text(client.get(f"/ideas/{idea.id}"))
    assert f'href="/ideas/{idea.id}"' in _text(client.get(f"/initiatives/{initiative.id}"))


def test_nobody_else_gets_the_action_on_an_idea_nor_a_prefilled_link(app, client):
    area = make_service_area()
    author, other = make_user(), make_user()
    idea = Idea(title="Tryggere skolevei i Nordbygda", body="Fortau langs hele Skoleveien, før vinteren.",
                author_id=author.id, service_area_id=area.id)
    db.session.add(idea)
    db.session.commit()
    login(client, other)
    assert "/initiatives/new?from_idea" not in _text(client.get(f"/ideas/{idea.id}"))
    form = _text(client.get(f"/initiatives/new?from_idea={idea.id}"))
    assert "Tryggere skolevei i Nordbygda" not in form
    response = client.post("/initiatives/new", data={
        "title": "Tryggere skolevei i Nordbygda",
        "proposal": "Kommunestyret ber om fortau langs hele Skoleveien innen neste skoleår.",
        "reasons": "Fortau langs hele Skoleveien, før vinteren.",
        "service_area_ids": [str(area.id)], "contact_email": "kari@example.no", "from_idea_id": str(idea.id),
    })
    assert response.status_code == 422
    assert "Bare den som foreslo idéen, kan gjøre den til et innbyggerforslag." in _text(response)


def test_a_blocked_person_sees_why_they_cannot_propose(app, client):
    person = make_user(is_blocked=True)
    login(client, person)
    response = client.get("/initiatives/new")
    assert "Du kan fremme innbyggerforslag når kontoen din kan delta." in _plain(response)
    assert client.post("/initiatives/new", data={"title": "x"}).status_code == 403


def test_verification_comes_before_the_form_when_proposing_needs_it(app, client):
    app.config["VERIFIED_IDENTITY_REQUIRED_FOR"] = "propose"
    login(client, make_user())
    response = client.get("/initiatives/new")
    assert response.status_code == 303 and "/verify" in response.headers["Location"]


def test_staff_see_the_way_to_the_case_page(app, client):
    initiative = make_collecting()
    login(client, make_staff())
    assert f'href="/staff/initiatives/{initiative.id}"' in _text(client.get(f"/initiatives/{initiative.id}"))


def test_mistakes_in_the_form_do_not_use_up_the_proposal_limit(app, client):
    app.config["RATELIMIT_INITIATIVES"] = "2 per hour"
    area = make_service_area()
    login(client, make_user())
    for _ in range(4):
        assert client.post("/initiatives/new", data={"title": "Kort"}).status_code == 422
    good = {
        "proposal": "Kommunestyret ber kommunedirektøren holde lyset på i lysløypa til kl. 22.",
        "reasons": "Mange går på ski etter jobb, og det er mørkt fra klokka fire.",
        "service_area_ids": [str(area.id)], "contact_email": "kari@example.no",
    }
    assert client.post("/initiatives/new", data={"title": "Lys i lysløypa nummer en", **good}).status_code == 303
    assert client.post("/initiatives/new", data={"title": "Lys i lysløypa nummer to", **good}).status_code == 303
    assert client.post("/initiatives/new", data={"title": "Lys i lysløypa nummer tre", **good}).status_code == 429
