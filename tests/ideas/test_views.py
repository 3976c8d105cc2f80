"""The ideas pages: what people see, where forms send them, and nothing lost to a mistake."""

import io
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from PIL import Image
from sqlalchemy import func, select

from app.core.db import utcnow
from app.extensions import db
from app.ideas import images, services
from app.ideas.models import Idea, IdeaImage, IdeaStatus, StatusChange
from tests.factories import login, make_organisation, make_service_area, make_user
from tests.ideas.factories import counts, image_bytes, make_idea

BODY = "Skoleveien mangler fortau på den siste strekningen ned mot skolen, og bilene kjører fort."


def _form(service_area, **changes) -> dict:
    data = {
        "title": "Fortau langs Kirkeveien",
        "body": BODY,
        "service_area_id": str(service_area.id),
        "sdgs": ["3", "11"],
        "place": "Kirkeveien",
        "action": "check",
    }
    data.update(changes)
    return data


def _next_of(location: str) -> str:
    parts = urlsplit(location)
    assert parts.path == "/login", location
    return parse_qs(parts.query)["next"][0]


def _idea_count() -> int:
    return db.session.scalar(select(func.count()).select_from(Idea))


# --- visitors are sent to log in and back ---------------------------------------------------------


def test_visitor_pressing_propose_is_sent_to_login_and_back(app, client):
    response = client.get("/ideas/new")
    assert response.status_code == 302
    assert _next_of(response.headers["Location"]) == "/ideas/new"


def test_visitor_pressing_vote_is_sent_to_login_with_the_idea_as_next(app, client):
    idea = make_idea()
    response = client.post(f"/ideas/{idea.id}/vote", data={"next": f"/ideas/{idea.id}"})
    assert response.status_code == 302
    assert _next_of(response.headers["Location"]) == f"/ideas/{idea.id}"
    assert counts(idea)[0] == 0


def test_visitor_sees_a_login_link_instead_of_the_vote_button(app, client):
    idea = make_idea()
    html = client.get(f"/ideas/{idea.id}").get_data(as_text=True)
    assert f'href="/login?next=/ideas/{idea.id}"' in html or f'href="/login?next=%2Fideas%2F{idea.id}"' in html
    assert "Logg inn for å stemme" in html
    assert 'data-vote-form' not in html


def test_after_login_the_person_comes_back_to_the_idea(app, client):
    idea = make_idea()
    user = make_user()
    response = client.post(f"/login?next=/ideas/{idea.id}", data={"email": user.email, "password": "korrekt-hest-batteri"})
    assert response.headers["Location"].endswith(f"/ideas/{idea.id}")


# --- proposing -----------------------------------------------------------------------------------------


def test_propose_form_groups_topics_by_municipal_area_and_shows_sdgs(app, client):
    make_service_area("Barnehage", area_name="Oppvekst og utdanning")
    make_service_area("Vei og trafikk", area_name="Samfunnsutvikling")
    login(client, make_user())
    html = client.get("/ideas/new").get_data(as_text=True)
    assert '<optgroup label="Oppvekst og utdanning">' in html
    assert '<optgroup label="Samfunnsutvikling">' in html
    assert html.count('name="sdgs"') == 17
    assert "sdg-badge sdg-13" in html and "Stoppe klimaendringene" in html
    assert html.count('type="file"') == 3
    assert "Hvem står bak idéen?" not in html  # no organisations to post for


def test_member_of_verified_organisation_is_offered_to_post_on_its_behalf(app, client):
    member = make_user()
    make_organisation(members=(member,), name="Nordbygda vel")
    make_organisation(members=(member,), name="Uverifisert lag", verified=False)
    login(client, member)
    html = client.get("/ideas/new").get_data(as_text=True)
    assert "Hvem står bak idéen?" in html
    assert "Nordbygda vel" in html
    assert "Uverifisert lag" not in html


def test_proposal_without_similar_ideas_is_published_at_once(app, client):
    service_area = make_service_area()
    author = make_user("Per Olav Strand")
    login(client, author)
    response = client.post("/ideas/new", data=_form(service_area))
    assert response.status_code == 302
    idea = db.session.scalar(select(Idea))
    assert response.headers["Location"].endswith(f"/ideas/{idea.id}")
    assert idea.title == "Fortau langs Kirkeveien"
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Idéen din er publisert" in page
    assert "Foreslått av Per Olav Strand" in page


def test_similar_ideas_are_shown_before_publishing_and_the_proposal_is_carried(app, client):
    service_area = make_service_area()
    existing = make_idea(title="Fortau i Kirkeveien nå", body="Kirkeveien trenger fortau, barna går i veien.")
    login(client, make_user())
    response = client.post("/ideas/new", data=_form(service_area))
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Finnes idéen allerede?" in html
    assert "Fortau i Kirkeveien nå" in html
    assert f'action="/ideas/{existing.id}/vote"' in html
    assert 'value="Fortau langs Kirkeveien"' in html  # carried on as a hidden field
    assert _idea_count() == 1
    # Go on and publish:
    response = client.post("/ideas/new", data=_form(service_area, action="publish"))
    assert response.status_code == 302
    assert _idea_count() == 2


def test_person_can_support_a_similar_idea_instead(app, client):
    service_area = make_service_area()
    existing = make_idea(title="Fortau i Kirkeveien nå", body="Kirkeveien trenger fortau, barna går i veien.")
    login(client, make_user())
    client.post("/ideas/new", data=_form(service_area))
    response = client.post(f"/ideas/{existing.id}/vote", data={"next": f"/ideas/{existing.id}"})
    assert response.headers["Location"].endswith(f"/ideas/{existing.id}")
    assert counts(existing)[0] == 1
    assert _idea_count() == 1


def test_going_back_from_the_similar_step_keeps_everything(app, client):
    service_area = make_service_area()
    make_idea(title="Fortau i Kirkeveien nå", body="Kirkeveien trenger fortau, barna går i veien.")
    login(client, make_user())
    html = client.post("/ideas/new", data=_form(service_area, action="edit")).get_data(as_text=True)
    assert "Foreslå en idé" in html
    assert 'value="Fortau langs Kirkeveien"' in html
    assert BODY in html
    assert re.search(r'value="3"\s+id="sdgs-3"\s+checked', html)


@pytest.mark.parametrize(
    ("changes", "field_id", "message"),
    [
        ({"title": "Vei"}, "title", "Skriv en tittel på minst 5 tegn."),
        ({"body": "Kort"}, "body", "Beskriv idéen med minst 20 tegn."),
        ({"service_area_id": ""}, "service_area_id", "Velg hvilket tema idéen gjelder."),
        ({"sdgs": ["1", "2", "3", "4"]}, "sdgs", "Velg høyst tre bærekraftsmål. Du har valgt 4."),
    ],
)
def test_mistake_shows_the_message_next_to_the_field_and_keeps_the_input(app, client, changes, field_id, message):
    service_area = make_service_area()
    login(client, make_user())
    response = client.post("/ideas/new", data=_form(service_area, **changes))
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert f'id="{field_id}-error">{message}' in html
    assert f'href="#{field_id}">{message}' in html  # the error summary links to the field
    assert "Kirkeveien" in html  # what was typed is kept
    assert _idea_count() == 0


def test_sdg_picker_keeps_the_four_ticked_goals_after_the_refusal(app, client):
    service_area = make_service_area()
    login(client, make_user())
    html = client.post("/ideas/new", data=_form(service_area, sdgs=["1", "2", "3", "4"])).get_data(as_text=True)
    for n in (1, 2, 3, 4):
        assert re.search(rf'value="{n}"\s+id="sdgs-{n}"\s+checked', html)


def test_image_upload_is_published_without_its_gps_position(app, client):
    service_area = make_service_area()
    login(client, make_user())
    data = _form(service_area, action="publish", alt_1="Hullete asfalt foran skolen")
    data["image_1"] = (io.BytesIO(image_bytes("JPEG", gps=True)), "IMG_0001.jpg")
    response = client.post("/ideas/new", data=data, content_type="multipart/form-data")
    assert response.status_code == 302
    image = db.session.scalar(select(IdeaImage))
    assert image.alt_text == "Hullete asfalt foran skolen"
    assert not Image.open(images.path_of(image.filename)).getexif()
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert f'src="/ideas/images/{image.filename}" alt="Hullete asfalt foran skolen"' in page


def test_decorative_image_gets_an_empty_alt(app, client):
    service_area = make_service_area()
    login(client, make_user())
    data = _form(service_area, action="publish", decorative_1="y")
    data["image_1"] = (io.BytesIO(image_bytes("PNG")), "pynt.png")
    response = client.post("/ideas/new", data=data, content_type="multipart/form-data")
    image = db.session.scalar(select(IdeaImage))
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert f'src="/ideas/images/{image.filename}" alt=""' in page


def test_oversized_image_gets_an_error_next_to_it_and_the_rest_is_kept(app, client):
    service_area = make_service_area()
    login(client, make_user())
    data = _form(service_area, alt_1="Et stort bilde", alt_2="Et fint bilde")
    data["image_1"] = (io.BytesIO(image_bytes() + b"\0" * (5 * 1024 * 1024)), "stort.jpg")
    data["image_2"] = (io.BytesIO(image_bytes("PNG")), "fint.png")
    response = client.post("/ideas/new", data=data, content_type="multipart/form-data")
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="image_1-error">Bildet er større enn 5 MB' in html
    assert "Velg filen på nytt" in html
    assert "Kirkeveien" in html and 'value="Et stort bilde"' in html
    # The good picture is kept for the next try, so it need not be chosen again:
    token = re.search(r'name="token_2" type="hidden" value="([^"]+)"', html) or re.search(
        r'id="token_2" name="token_2" type="hidden" value="([^"]+)"', html)
    assert token, "the good image should be carried as a token"
    assert _idea_count() == 0


def test_fake_image_is_refused_next_to_its_field(app, client):
    service_area = make_service_area()
    login(client, make_user())
    data = _form(service_area, alt_1="Ikke et bilde")
    data["image_1"] = (io.BytesIO(b"%PDF-1.4 not a picture"), "virus.jpg")
    html = client.post("/ideas/new", data=data, content_type="multipart/form-data").get_data(as_text=True)
    assert 'id="image_1-error">Filen er ikke et bilde vi tar imot' in html


def test_missing_alt_text_is_asked_for_next_to_the_field(app, client):
    service_area = make_service_area()
    login(client, make_user())
    data = _form(service_area)
    data["image_1"] = (io.BytesIO(image_bytes()), "bilde.jpg")
    html = client.post("/ideas/new", data=data, content_type="multipart/form-data").get_data(as_text=True)
    assert 'id="alt_1-error">Beskriv hva bilde 1 viser' in html


def test_posting_on_behalf_of_an_organisation_one_is_not_member_of_is_refused(app, client):
    service_area = make_service_area()
    organisation = make_organisation(admin=make_user(), name="Fremmed lag")
    login(client, make_user())
    response = client.post("/ideas/new", data=_form(service_area, organisation_id=str(organisation.id)))
    assert response.status_code == 422
    assert "Du er ikke medlem av Fremmed lag" in response.get_data(as_text=True)
    assert _idea_count() == 0


def test_idea_posted_for_an_organisation_shows_it_with_the_person_under(app, client):
    member = make_user("Amina Yusuf")
    organisation = make_organisation(members=(member,), name="Sørvika idrettslag")
    service_area = make_service_area()
    login(client, member)
    response = client.post("/ideas/new", data=_form(service_area, organisation_id=str(organisation.id), action="publish"))
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert '<span class="idea__org">Sørvika idrettslag</span>' in html
    assert "Skrevet av Amina Yusuf" in html


@pytest.mark.parametrize("fields", [{"confirmed": False}, {"is_blocked": True}], ids=["unconfirmed", "blocked"])
def test_account_that_cannot_participate_gets_no_propose_form(app, client, fields):
    service_area = make_service_area()
    login(client, make_user(**fields))
    assert 'name="title"' not in client.get("/ideas/new").get_data(as_text=True)
    assert client.post("/ideas/new", data=_form(service_area, action="publish")).status_code == 403
    assert _idea_count() == 0


# --- the idea page -------------------------------------------------------------------------------------


def test_idea_page_shows_what_the_idea_is(app, client):
    author = make_user("Torbjørn Lie")
    idea = make_idea(author, title="Benker langs fjordstien", sdgs=(3, 11), place="Fjordparken",
                     body="Eldre trenger steder å hvile.\n\nSe https://example.no/kart for kart.")
    html = client.get(f"/ideas/{idea.id}").get_data(as_text=True)
    assert "<h1" in html and html.count("<h1") == 1
    assert "Benker langs fjordstien" in html
    assert "Foreslått av Torbjørn Lie" in html
    assert "Sted: Fjordparken" in html
    assert "sdg-badge sdg-3" in html and "sdg-badge sdg-11" in html
    assert "<p>Eldre trenger steder å hvile.</p>" in html
    assert 'rel="nofollow ugc noopener">https://example.no/kart</a>' in html
    assert "Sendt inn" in html
    assert "Status og historikk" in html
    assert "endret" not in html


def test_idea_page_escapes_what_people_write(app, client):
    idea = make_idea(title="<script>alert(1)</script> idé", body="<b>fet</b> tekst som er lang nok til å bli godtatt.")
    html = client.get(f"/ideas/{idea.id}").get_data(as_text=True)
    assert "<script>alert(1)" not in html
    assert "&lt;b&gt;fet&lt;/b&gt;" in html


def test_status_history_and_answers_are_shown(app, client):
    idea = make_idea(status=IdeaStatus.ACCEPTED)
    staff = make_user("Hanne Grønvold", role="portfolio_manager")
    db.session.add(StatusChange(idea_id=idea.id, from_status=IdeaStatus.SUBMITTED, to_status=IdeaStatus.ACCEPTED,
                                explanation="Vi bygger fortau neste år.", changed_by_id=staff.id))
    db.session.commit()
    html = client.get(f"/ideas/{idea.id}").get_data(as_text=True)
    assert "Godtatt" in html
    assert "Vi bygger fortau neste år." in html
    assert "Svar fra kommunen ved Hanne Grønvold." in html
    # An accepted idea can still be delivered, so support stays open (DESIGN.md).
    assert "Logg inn for å stemme" in html
    assert "Avstemningen er stengt" not in html


def test_merged_idea_links_to_the_idea_it_was_merged_into(app, client):
    target = make_idea(title="Den store skoleveidebatten")
    idea = make_idea(status=IdeaStatus.MERGED)
    idea.merged_into_id = target.id
    db.session.commit()
    html = client.get(f"/ideas/{idea.id}").get_data(as_text=True)
    assert f'href="/ideas/{target.id}">Den store skoleveidebatten</a>' in html


def test_hidden_idea_shows_a_placeholder_to_the_public(app, client):
    idea = make_idea(title="Hemmelig tittel", hidden=True, hidden_reason="Inneholder personopplysninger")
    response = client.get(f"/ideas/{idea.id}")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Skjult av moderatorene: Inneholder personopplysninger" in html
    assert "Hemmelig tittel" not in html
    assert "Barna går" not in html


@pytest.mark.parametrize("who", ["author", "moderator"])
def test_author_and_moderators_see_a_hidden_idea_with_a_notice(app, client, who):
    author = make_user()
    idea = make_idea(author, title="Hemmelig tittel", hidden=True)
    login(client, author if who == "author" else make_user(role="moderator"))
    html = client.get(f"/ideas/{idea.id}").get_data(as_text=True)
    assert "Hemmelig tittel" in html
    assert "Idéen er skjult av moderatorene" in html
    assert 'data-vote-form' not in html
    assert "Endre idéen" not in html


def test_unknown_idea_is_404(app, client):
    assert client.get("/ideas/999999").status_code == 404


# --- voting on the page --------------------------------------------------------------------------------


def test_vote_button_posts_and_comes_back_and_the_same_button_takes_it_back(app, client):
    idea = make_idea()
    login(client, make_user())
    html = client.get(f"/ideas/{idea.id}").get_data(as_text=True)
    assert "Stem på idéen" in html
    response = client.post(f"/ideas/{idea.id}/vote", data={"action": "add", "next": f"/ideas/{idea.id}"})
    assert response.status_code == 303 and response.headers["Location"].endswith(f"/ideas/{idea.id}")
    html = client.get(f"/ideas/{idea.id}").get_data(as_text=True)
    assert "Idéen har nå 1 stemme" in html
    assert "Trekk tilbake stemmen" in html
    assert 'name="action" value="remove"' in html
    client.post(f"/ideas/{idea.id}/vote", data={"action": "remove"})
    assert counts(idea)[0] == 0


def test_voting_on_a_closed_idea_says_why(app, client):
    idea = make_idea(status=IdeaStatus.DECLINED)
    login(client, make_user())
    response = client.post(f"/ideas/{idea.id}/vote", data={"action": "add"}, follow_redirects=True)
    assert "Avstemningen er stengt" in response.get_data(as_text=True)
    assert counts(idea)[0] == 0


def test_blocked_person_cannot_vote_from_the_page(app, client):
    idea = make_idea()
    login(client, make_user(is_blocked=True, blocked_reason="Spam"))
    response = client.post(f"/ideas/{idea.id}/vote", data={"action": "add"}, follow_redirects=True)
    assert "blokkert" in response.get_data(as_text=True)
    assert counts(idea)[0] == 0


# --- endorsing on the page ------------------------------------------------------------------------------


def test_member_endorses_for_the_organisation_and_it_is_listed(app, client):
    member = make_user()
    organisation = make_organisation(members=(member,), name="Medvik Røde Kors")
    idea = make_idea()
    login(client, member)
    html = client.get(f"/ideas/{idea.id}").get_data(as_text=True)
    assert "Støtt på vegne av Medvik Røde Kors" in html
    client.post(f"/ideas/{idea.id}/endorse", data={"organisation_id": organisation.id})
    html = client.get(f"/ideas/{idea.id}").get_data(as_text=True)
    assert "<li>Medvik Røde Kors</li>" in html
    assert "Trekk tilbake støtten fra Medvik Røde Kors" in html
    client.post(f"/ideas/{idea.id}/endorse", data={"organisation_id": organisation.id, "action": "remove"})
    assert counts(idea)[1] == 0


def test_non_member_cannot_endorse_from_the_page(app, client):
    organisation = make_organisation(admin=make_user(), name="Fremmed lag")
    idea = make_idea()
    login(client, make_user())
    response = client.post(f"/ideas/{idea.id}/endorse", data={"organisation_id": organisation.id}, follow_redirects=True)
    assert "Bare medlemmer av Fremmed lag" in response.get_data(as_text=True)
    assert counts(idea)[1] == 0


# --- editing and withdrawing ----------------------------------------------------------------------------


def test_author_edits_and_the_page_shows_edited(app, client):
    author = make_user()
    idea = make_idea(author, sdgs=(3,))
    login(client, author)
    html = client.get(f"/ideas/{idea.id}/edit").get_data(as_text=True)
    assert f'value="{idea.title}"' in html
    assert re.search(r'value="3"\s+id="sdgs-3"\s+checked', html)
    response = client.post(f"/ideas/{idea.id}/edit", data={
        "title": "En bedre tittel på idéen", "body": idea.body, "service_area_id": str(idea.service_area_id),
        "sdgs": ["4"],
    })
    assert response.status_code == 302
    html = client.get(f"/ideas/{idea.id}").get_data(as_text=True)
    assert "En bedre tittel på idéen" in html
    assert "endret" in html
    assert "sdg-badge sdg-4" in html


def test_edit_mistake_keeps_the_input(app, client):
    author = make_user()
    idea = make_idea(author)
    login(client, author)
    response = client.post(f"/ideas/{idea.id}/edit", data={
        "title": "Ny", "body": "En helt ny beskrivelse som er lang nok.", "service_area_id": str(idea.service_area_id),
    })
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "En helt ny beskrivelse som er lang nok." in html
    db.session.expire_all()
    assert db.session.get(Idea, idea.id).title == idea.title


def test_author_can_remove_an_image_when_editing(app, client):
    author = make_user()
    stored = images.store_image(image_bytes())
    idea = make_idea(author, images=[services.ImageInput(image=stored, alt_text="Gammelt bilde", slot=1)])
    login(client, author)
    client.post(f"/ideas/{idea.id}/edit", data={
        "title": idea.title, "body": idea.body, "service_area_id": str(idea.service_area_id),
        "existing_1": str(idea.images[0].id), "alt_1": "Gammelt bilde", "remove_1": "y",
    })
    assert db.session.scalar(select(func.count()).select_from(IdeaImage)) == 0


def test_resident_cannot_edit_someone_elses_idea_from_the_page(app, client):
    idea = make_idea()
    login(client, make_user())
    response = client.post(f"/ideas/{idea.id}/edit", data={"title": "Kapret", "body": "x" * 30})
    assert response.status_code == 303
    db.session.expire_all()
    assert db.session.get(Idea, idea.id).title != "Kapret"


def test_author_cannot_edit_once_answered(app, client):
    author = make_user()
    idea = make_idea(author)
    idea.first_answered_at = utcnow()
    idea.status = IdeaStatus.UNDER_REVIEW
    db.session.commit()
    login(client, author)
    assert "Endre idéen" not in client.get(f"/ideas/{idea.id}").get_data(as_text=True)
    assert client.get(f"/ideas/{idea.id}/edit").status_code == 303


def test_author_withdraws_with_a_public_reason(app, client):
    author = make_user()
    idea = make_idea(author)
    login(client, author)
    assert "Trekk tilbake idéen" in client.get(f"/ideas/{idea.id}").get_data(as_text=True)
    response = client.post(f"/ideas/{idea.id}/withdraw", data={"reason": "Løst av velforeningen."})
    assert response.status_code == 302
    html = client.get(f"/ideas/{idea.id}").get_data(as_text=True)
    assert "Trukket tilbake" in html
    assert "Begrunnelse: Løst av velforeningen." in html


def test_resident_cannot_withdraw_someone_elses_idea_from_the_page(app, client):
    idea = make_idea()
    login(client, make_user())
    response = client.post(f"/ideas/{idea.id}/withdraw", data={"reason": "Nei"})
    assert response.status_code == 422
    assert "Bare den som foreslo idéen" in response.get_data(as_text=True)
    assert db.session.get(Idea, idea.id).status == IdeaStatus.SUBMITTED


# --- the list -----------------------------------------------------------------------------------------


def test_list_filters_combine_and_live_in_the_url(app, client):
    roads = make_service_area("Vei og trafikk", area_name="Samfunnsutvikling")
    school = make_service_area("Grunnskole", area_name="Oppvekst og utdanning")
    make_idea(title="Fortau i Kirkeveien", service_area=roads, sdgs=(11,))
    make_idea(title="Fartsdumper ved skolen", service_area=roads, sdgs=(3,))
    make_idea(title="Leksehjelp på biblioteket", service_area=school, sdgs=(4,))
    make_idea(title="Avslått veiidé", service_area=roads, sdgs=(11,), status=IdeaStatus.DECLINED)
    html = client.get(f"/ideas?service_area={roads.id}&sdg=11&status=submitted").get_data(as_text=True)
    assert "Fortau i Kirkeveien" in html
    assert "Fartsdumper ved skolen" not in html
    assert "Leksehjelp" not in html
    assert "Avslått veiidé" not in html
    assert "1 idé passer til filtrene" in html


def test_list_shows_how_many_ideas_each_option_would_give(app, client):
    roads = make_service_area("Vei og trafikk", area_name="Samfunnsutvikling")
    school = make_service_area("Grunnskole", area_name="Oppvekst og utdanning")
    make_idea(service_area=roads, sdgs=(11,))
    make_idea(service_area=roads, sdgs=(3,))
    make_idea(service_area=school, sdgs=(4,))
    make_idea(service_area=school, hidden=True, sdgs=(4,))
    html = client.get(f"/ideas?service_area={roads.id}").get_data(as_text=True)
    # With the topic chosen, the SDG counts follow it; the topic counts ignore their own filter.
    assert re.search(r">11\. Bærekraftige byer og lokalsamfunn \(1\)<", html)
    assert re.search(r">4\. God utdanning \(0\)<", html)
    assert re.search(r">Vei og trafikk \(2\)<", html)
    assert re.search(r">Grunnskole \(1\)<", html)  # hidden ideas are never counted
    assert re.search(r">Sendt inn \(2\)<", html)


def test_municipal_area_filter_covers_its_service_areas(app, client):
    roads = make_service_area("Vei og trafikk", area_name="Samfunnsutvikling")
    water = make_service_area("Vann og avløp", area_name="Samfunnsutvikling")
    school = make_service_area("Grunnskole", area_name="Oppvekst og utdanning")
    make_idea(title="Veiidé", service_area=roads)
    make_idea(title="Vannidé", service_area=water)
    make_idea(title="Skoleidé", service_area=school)
    html = client.get(f"/ideas?municipal_area={roads.municipal_area_id}").get_data(as_text=True)
    assert "Veiidé" in html and "Vannidé" in html and "Skoleidé" not in html


def test_organisation_filter(app, client):
    member = make_user()
    organisation = make_organisation(members=(member,), name="Nordbygda vel")
    make_idea(member, title="Lagets idé", organisation_id=organisation.id)
    make_idea(member, title="Privat idé")
    html = client.get(f"/ideas?organisation={organisation.id}").get_data(as_text=True)
    assert "Lagets idé" in html and "Privat idé" not in html
    assert re.search(r">Nordbygda vel \(1\)<", html)


def test_my_ideas_and_ideas_i_voted_for(app, client):
    me = make_user()
    mine = make_idea(me, title="Min egen idé")
    voted = make_idea(title="Idé jeg liker")
    make_idea(title="Annen idé")
    services.vote_for_idea(me, voted.id)
    login(client, me)
    html = client.get("/ideas?mine=1").get_data(as_text=True)
    assert "Min egen idé" in html and "Idé jeg liker" not in html
    # Ticking "voted" as well would give none: I have not voted for my own idea.
    assert "Idéer jeg har foreslått (1)" in html and "Idéer jeg har stemt på (0)" in html
    html = client.get("/ideas?voted=1").get_data(as_text=True)
    assert "Idé jeg liker" in html and "Min egen idé" not in html and "Annen idé" not in html
    assert "Idéer jeg har foreslått (0)" in html and "Idéer jeg har stemt på (1)" in html
    assert "Du har stemt" in html
    assert mine.id


def test_list_search_finds_norwegian_word_forms(app, client):
    make_idea(title="Tryggere skoleveier i Nordbygda")
    make_idea(title="Flere benker i parken")
    html = client.get("/ideas?q=skolevei").get_data(as_text=True)
    assert "Tryggere skoleveier i Nordbygda" in html
    assert "Flere benker" not in html
    assert "1 idé passer til «skolevei»" in html


@pytest.mark.parametrize("sort", ["votes", "comments", "trending"])
def test_list_sorts(app, client, sort):
    quiet = make_idea(title="Stille idé")
    loud = make_idea(title="Populær idé")
    for _ in range(2):
        services.vote_for_idea(make_user(), loud.id)
    db.session.execute(db.update(Idea).where(Idea.id == loud.id).values(comment_count=5))
    db.session.commit()
    html = client.get(f"/ideas?sort={sort}").get_data(as_text=True)
    assert html.index("Populær idé") < html.index("Stille idé")
    assert quiet.id


def test_newest_first_by_default(app, client):
    make_idea(title="Eldste idé")
    make_idea(title="Nyeste idé")
    html = client.get("/ideas").get_data(as_text=True)
    assert html.index("Nyeste idé") < html.index("Eldste idé")


def test_hidden_ideas_are_left_out_of_the_list_for_everyone(app, client):
    author = make_user()
    make_idea(author, title="Skjult idé", hidden=True)
    make_idea(title="Synlig idé")
    login(client, make_user(role="moderator"))
    html = client.get("/ideas").get_data(as_text=True)
    assert "Synlig idé" in html and "Skjult idé" not in html
    assert "1 idé" in html


def test_pagination_keeps_the_filters(app, client):
    service_area = make_service_area()
    for n in range(3):
        make_idea(title=f"Idé om veien nummer {n}", service_area=service_area)
    html = client.get(f"/ideas?per_page=2&service_area={service_area.id}&sort=votes").get_data(as_text=True)
    assert "side 1 av 2" in html
    link = re.search(r'href="([^"]*page=2[^"]*)"', html).group(1).replace("&amp;", "&")
    assert f"service_area={service_area.id}" in link and "sort=votes" in link


def test_nonsense_in_the_url_is_ignored(app, client):
    make_idea(title="En idé")
    response = client.get("/ideas?status=tull&sdg=abc&page=-3&sort=rar&service_area=x")
    assert response.status_code == 200
    assert "En idé" in response.get_data(as_text=True)


# --- the front page --------------------------------------------------------------------------------------


def test_front_page_shows_new_and_popular_ideas_and_totals_of_visible_ones(app, client):
    popular = make_idea(title="Den populære")
    make_idea(title="Den nye")
    make_idea(title="Den skjulte", hidden=True)
    for _ in range(3):
        services.vote_for_idea(make_user(), popular.id)
    db.session.execute(db.update(Idea).where(Idea.id == popular.id).values(comment_count=4))
    db.session.commit()
    html = client.get("/").get_data(as_text=True)
    assert "Foreslå en idé" in html and 'href="/ideas/new"' in html
    assert "Den populære" in html and "Den nye" in html and "Den skjulte" not in html
    assert re.search(r'totals__number">2</span> idéer', html)
    assert re.search(r'totals__number">3</span> stemmer', html)
    assert re.search(r'totals__number">4</span> kommentarer', html)
    main = html[html.index("<main"):]  # the head's feed link is also called "Nye idéer"
    popular_section = main[main.index("Populært nå"):main.index("Nye idéer")]
    assert "Den populære" in popular_section


def test_only_published_ideas_count_against_the_rate_limit(app, client):
    app.config.update(RATELIMIT_IDEAS="2 per hour", RATELIMIT_IDEAS_PER_ADDRESS="")
    service_area = make_service_area()
    login(client, make_user())
    for _ in range(3):  # mistakes cost nothing
        assert client.post("/ideas/new", data=_form(service_area, title="Nei")).status_code == 422
    for n in range(2):
        assert client.post("/ideas/new", data=_form(service_area, title=f"Idé nummer {n}", action="publish")).status_code == 302
    response = client.post("/ideas/new", data=_form(service_area, title="Idé nummer tre", action="publish"))
    assert response.status_code == 429
    assert _idea_count() == 2
