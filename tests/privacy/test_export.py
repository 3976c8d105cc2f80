"""The export's content: every kind, stable field names, pictures, nobody else's data, no secrets."""

import pytest

from app.extensions import db
from app.ideas import images
from app.privacy import export
from app.privacy.inventory import KINDS
from tests.privacy.factories import (
    HOSTILE,
    NEIGHBOUR_COMMENT,
    SECRET_TITLE,
    all_text,
    kind_file,
    make_world,
    zip_of,
)

# The documented field names (docs/export-format.md): renaming one breaks every reader.
FIELDS = {
    ("account", "account"): {
        "id", "email", "full_name", "locale", "role", "created_at", "confirmed_at", "last_seen_at",
        "is_blocked", "blocked_reason", "blocked_until", "name_flagged_at", "name_flag_reason",
        "deletion_requested_at", "deletion_keep_content", "inactivity_warned_at"},
    ("organisations", "memberships"): {
        "organisation_id", "organisation_name", "organisation_kind", "role", "created_at"},
    ("organisations", "invitations_sent"): {
        "id", "organisation_id", "organisation_name", "status", "created_at", "expires_at", "answered_at"},
    ("ideas", "ideas"): {
        "id", "title", "body", "organisation_id", "organisation_name", "service_area_id",
        "service_area", "place", "latitude", "longitude", "status", "visibility", "hidden_reason",
        "withdrawn_reason", "merged_into_id", "vote_count", "comment_count", "endorsement_count",
        "created_at", "edited_at", "updated_at", "sdgs", "images"},
    ("votes", "votes"): {"idea_id", "idea_title", "created_at"},
    ("endorsements", "endorsements"): {
        "idea_id", "idea_title", "organisation_id", "organisation_name", "created_at"},
    ("comments", "comments"): {
        "id", "idea_id", "idea_title", "parent_id", "organisation_id", "organisation_name", "body",
        "visibility", "hidden_reason", "created_at", "edited_at", "updated_at"},
    ("reports", "reports"): {
        "id", "target_type", "target_id", "reason", "note", "created_at", "resolution", "resolved_at"},
    ("moderation", "decisions"): {"id", "action", "target_type", "target_id", "reason", "created_at"},
    ("notices", "notices"): {"id", "kind", "subject", "body", "url", "created_at", "read_at"},
    ("follows", "follows"): {"target_type", "target_id", "created_at"},
    ("notice_preferences", "notice_preferences"): {"kind", "channel"},
    ("emails", "emails"): {"id", "to_address", "subject", "body", "created_at", "sent_at"},
    ("api_tokens", "api_tokens"): {"id", "name", "prefix", "created_at", "last_used_at", "revoked_at"},
    ("sign_ins", "sign_ins"): {"method", "address", "created_at"},
    ("identities", "identities"): {"provider", "kind", "issuer", "level", "verified_at", "created_at"},
    ("accessibility_reports", "accessibility_reports"): {
        "id", "page", "description", "email", "created_at", "handled_at"},
}


@pytest.fixture
def world(app):
    return make_world()


def test_every_kind_has_its_file_with_the_format_header(world):
    archive = zip_of(world.person)
    names = set(archive.namelist())
    assert {f"{kind}.json" for kind in KINDS} <= names and "index.html" in names
    for kind in KINDS:
        data = kind_file(archive, kind)
        assert (data["format"], data["version"], data["kind"]) == ("medvirk-export", 1, kind)
        assert data["generated_at"].endswith("+00:00")


@pytest.mark.parametrize(("kind", "section"), sorted(FIELDS))
def test_field_names_are_the_documented_ones(world, kind, section):
    data = kind_file(zip_of(world.person), kind)
    records = [data[section]] if section == "account" else data[section]
    assert records, f"{kind}/{section} should hold the person's rows"
    for record in records:
        assert set(record) == FIELDS[(kind, section)]


def test_the_person_s_rows_are_all_there_and_only_theirs(world):
    archive = zip_of(world.person)
    assert kind_file(archive, "account")["account"]["email"] == "kari.eksport@example.no"
    votes = kind_file(archive, "votes")["votes"]
    assert sorted(v["idea_id"] for v in votes) == sorted([world.neighbour_idea.id, world.hidden_idea.id])
    assert [c["body"] for c in kind_file(archive, "comments")["comments"]] == ["Kari sin kommentar " + HOSTILE]
    emails = [e["subject"] for e in kind_file(archive, "emails")["emails"]]
    assert "Bekreft e-posten" in emails and "Naboens e-post" not in emails
    notices = [n["subject"] for n in kind_file(archive, "notices")["notices"]]
    assert "Svar på idéen din" in notices and "Naboens melding" not in notices
    assert [s["address"] for s in kind_file(archive, "sign_ins")["sign_ins"]] == ["203.0.113.9"]
    assert [t["name"] for t in kind_file(archive, "api_tokens")["api_tokens"]] == ["Min app"]
    [idea] = kind_file(archive, "ideas")["ideas"]
    assert idea["sdgs"] == [3, 11] and idea["images"][0]["alt_text"] == "Veien ved skolen"
    # Matched by address whatever its case, and the report the person sent by e-mail only.
    assert len(kind_file(archive, "accessibility_reports")["accessibility_reports"]) == 1
    [decision] = kind_file(archive, "moderation")["decisions"]
    assert decision["reason"] == "Hets"


def test_counts_on_the_page_match_the_files(world):
    archive = zip_of(world.person)
    for item in export.summary(world.person):
        data = kind_file(archive, item.kind)
        rows = sum(1 if name == "account" else len(data[name]) for name in item.sections)
        assert rows == item.rows, item.kind
        # The number a person reads is of the kind itself: "Idéer" counts ideas, not answers too.
        if item.kind in item.sections and item.kind != "account":
            assert item.count == len(data[item.kind]), item.kind


def test_the_uploaded_pictures_are_included_byte_for_byte(world):
    archive = zip_of(world.person)
    with open(images.path_of(world.picture), "rb") as handle:
        assert archive.read(f"images/{world.picture}") == handle.read()
    [idea] = kind_file(archive, "ideas")["ideas"]
    assert idea["images"][0]["file"] == f"images/{world.picture}"


def test_other_people_s_data_is_never_included(world):
    text = all_text(zip_of(world.person))
    for other in ("Nils Naboen", "nils.nabo@example.no", NEIGHBOUR_COMMENT, SECRET_TITLE,
                  "Naboens melding", "Naboens e-post", "Naboens app", "198.51.100.77",
                  "venn@example.no", "rapportert av Nils"):
        assert other not in text, other
    # The hidden idea the person voted for is there by id, without its title.
    votes = {v["idea_id"]: v["idea_title"] for v in kind_file(zip_of(world.person), "votes")["votes"]}
    assert votes == {world.neighbour_idea.id: "Benker langs turstien", world.hidden_idea.id: None}


def test_no_secret_is_ever_included(world):
    text = all_text(zip_of(world.person))
    assert world.token_hash not in text and world.person_hash not in text and "b" * 64 not in text
    assert world.person.password_hash not in text and world.person.session_token not in text


def test_the_overview_is_escaped_self_contained_and_in_the_person_s_language(world):
    html = zip_of(world.person).read("index.html").decode()
    # Shown as text, never as markup: no script element, no picture that runs code.
    assert "<script" not in html and "<img src=x" not in html
    assert "&lt;script&gt;" in html and "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "Dataene dine i Medvirk" in html and 'lang="nb"' in html and " des. 20" in html
    for external in ("http://", "https://", "//cdn"):
        assert f'src="{external}' not in html and f'href="{external}' not in html
    assert f'src="images/{world.picture}"' in html

    world.person.locale = "en"
    db.session.commit()
    english = zip_of(world.person).read("index.html").decode()
    # Dates in English form, the language by its name, not its code.
    assert 'lang="en"' in english and " Dec 20" in english and " des. 20" not in english
    assert "<td>English</td>" in english and "Your data in Medvirk" in english


def test_a_person_with_nothing_gets_every_file_empty(app):
    from tests.factories import make_user

    person = make_user()
    archive = zip_of(person)
    assert kind_file(archive, "votes")["votes"] == []
    assert kind_file(archive, "account")["account"]["id"] == person.id
