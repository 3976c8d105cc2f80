"""The public bulk exports: every file round-trips through csv.reader / json with exactly the
documented columns, holds what a visitor may see and no person's data, is made afresh at most
every OPEN_DATA_MINUTES, and is never served half-written."""

import csv
import io
import json
import os
import threading
import time

import pytest

from app.ideas.models import IdeaStatus
from app.initiatives import services as initiative_services
from app.opendata import exports
from tests.factories import make_organisation, make_service_area, make_user
from tests.initiatives.factories import make_collecting, make_proposal
from tests.opendata.conftest import add_votes, make_idea, make_project

SITE = "https://medvik.example"


def read_csv(response) -> tuple[list[str], list[dict]]:
    data = response.data
    assert data.startswith("\ufeff".encode())  # UTF-8 with BOM, as the staff exports
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=";"))
    header, body = rows[0], rows[1:]
    return header, [dict(zip(header, row, strict=True)) for row in body]


def documented(name: str) -> list[str]:
    return [c.name for c in exports.DATASETS[name].columns]


@pytest.fixture
def world():
    resident = make_user(name="Kari Hemmelig", email="kari.hemmelig@example.no")
    member = make_user(name="Per Organisasjonsmedlem")
    organisation = make_organisation(admin=member, name="Medvik Idrettslag")
    area = make_service_area("Idrett og friluft")
    own = make_idea(resident, "Lysløype rundt Storvatnet", service_area=area, sdgs=(3, 11))
    for_org = make_idea(member, "Ny kunstgressbane", service_area=area, organisation_id=organisation.id,
                        body="=HYPERLINK(\"http://evil.example\")")
    hidden = make_idea(resident, "Skjult idé om naboen", hidden=True)
    add_votes(own, 2, days_ago=1)
    add_votes(own, 3)
    add_votes(hidden, 4)
    public = make_project("Lysløype", ideas=(own, hidden), sdgs=(3,))
    internal = make_project("Intern vurdering", public=False, ideas=(own,))
    initiative = make_collecting(resident, title="Gratis busskort for ungdom", contact_email="kari.hemmelig@example.no")
    initiative_services.sign(make_user(name="Signe Synlig"), initiative.id, confirmed_resident=True, show_name=True)
    make_proposal(title="Forslag som venter på moderator")
    return {"own": own, "for_org": for_org, "hidden": hidden, "public": public, "internal": internal,
            "initiative": initiative}


@pytest.mark.parametrize("name", ["ideas", "votes", "projects", "initiatives", "sdgs"])
def test_csv_and_json_have_exactly_the_documented_columns(client, world, name):
    header, rows = read_csv(client.get(f"/open-data/{name}.csv"))
    assert header == documented(name)
    body = client.get(f"/open-data/{name}.json").get_json()
    assert [f["name"] for f in body["metadata"]["fields"]] == documented(name)
    assert all(list(row) == documented(name) for row in body["data"])
    assert len(body["data"]) == len(rows) > 0
    assert body["metadata"]["license"]["name"] == "NLOD-2.0"
    assert body["metadata"]["license"]["path"] == "https://data.norge.no/nlod/no/2.0"
    assert set(body["metadata"]["title"]) == {"nb", "nn", "en"}


def test_ideas_export_has_visible_ideas_and_no_persons_name(client, world):
    response = client.get("/open-data/ideas.csv")
    _header, rows = read_csv(response)
    assert [r["title"] for r in rows] == ["Lysløype rundt Storvatnet", "Ny kunstgressbane"]
    everything = response.data.decode("utf-8-sig") + client.get("/open-data/ideas.json").get_data(as_text=True)
    for secret in ("Kari Hemmelig", "kari.hemmelig", "Per Organisasjonsmedlem", "Skjult idé", "naboen"):
        assert secret not in everything
    own, for_org = rows
    assert own["organisation"] == "" and for_org["organisation"] == "Medvik Idrettslag"
    assert own["sdgs"] == "3,11" and own["vote_count"] == "5"
    assert own["url"] == f"{SITE}/ideas/{world['own'].id}"
    assert for_org["description"].startswith("'=")  # no formula runs in a spreadsheet
    data = client.get("/open-data/ideas.json").get_json()["data"]
    assert data[0]["sdgs"] == [3, 11] and data[0]["organisation"] == "" and data[0]["latitude"] is None
    assert data[1]["description"] == "=HYPERLINK(\"http://evil.example\")"


def test_votes_export_counts_per_idea_per_day_never_hidden_ideas(client, world):
    _header, rows = read_csv(client.get("/open-data/votes.csv"))
    assert {r["idea_id"] for r in rows} == {str(world["own"].id)}
    assert sorted(int(r["votes"]) for r in rows) == [2, 3]
    assert all(len(r["date"]) == 10 for r in rows)
    assert sum(r["votes"] for r in client.get("/open-data/votes.json").get_json()["data"]) == 5


def test_projects_export_has_public_projects_with_visible_links(client, world):
    _header, rows = read_csv(client.get("/open-data/projects.csv"))
    assert [r["title"] for r in rows] == ["Lysløype"]
    assert rows[0]["idea_ids"] == str(world["own"].id)  # the hidden idea is not named
    assert rows[0]["sdgs"] == "3" and rows[0]["phase"] == "planned"
    assert rows[0]["url"] == f"{SITE}/portfolio/projects/{world['public'].id}"


def test_initiatives_export_has_counts_never_signers_or_the_contact_address(client, world):
    response = client.get("/open-data/initiatives.csv")
    _header, rows = read_csv(response)
    assert [r["title"] for r in rows] == ["Gratis busskort for ungdom"]
    row = rows[0]
    assert row["status"] == "collecting" and row["signatures_total"] == "1" and row["signatures_online"] == "1"
    assert row["url"] == f"{SITE}/initiatives/{world['initiative'].id}"
    everything = response.data.decode("utf-8-sig") + client.get("/open-data/initiatives.json").get_data(as_text=True)
    for secret in ("Signe Synlig", "kari.hemmelig", "Kari Hemmelig", "venter på moderator"):
        assert secret not in everything
    data = client.get("/open-data/initiatives.json").get_json()["data"]
    assert data[0]["threshold"] == world["initiative"].signature_threshold


def test_sdg_export_is_the_overview_as_a_visitor_sees_it(client, world):
    data = client.get("/open-data/sdgs.json").get_json()["data"]
    assert [g["number"] for g in data] == list(range(1, 18))
    goal3 = data[2]
    assert goal3["ideas"] == 1 and goal3["votes"] == 5 and goal3["projects"] == 1
    assert goal3["estimated_cost"] == 250_000  # the internal project is not counted


def test_unknown_dataset_or_format_is_404(client):
    for url in ("/open-data/users.csv", "/open-data/ideas.xlsx", "/open-data/..%2fsecret.csv",
                "/open-data/ideas.csv%00"):
        assert client.get(url).status_code == 404, url


def test_licence_is_on_the_page_in_the_data_package_and_on_each_file(client, world):
    page = client.get("/open-data").get_data(as_text=True)
    assert "NLOD" in page and "https://data.norge.no/nlod/no/2.0" in page
    assert "/open-data/ideas.csv" in page and "/open-data/description" in page
    package = client.get("/open-data/datapackage.json").get_json()
    assert package["licenses"][0]["name"] == "NLOD-2.0"
    resources = {r["name"]: r for r in package["resources"]}
    assert [f["name"] for f in resources["ideas-csv"]["schema"]["fields"]] == documented("ideas")
    assert resources["ideas-csv"]["dialect"]["delimiter"] == ";"
    assert 'rel="license"' in client.get("/open-data/ideas.csv").headers["Link"]


def test_data_description_lists_every_field_in_bokmal_and_english(app, client):
    from html import unescape

    from flask_babel import force_locale

    # Compared as text: an apostrophe may come as ' or &#39; (both are the same HTML).
    nb = unescape(client.get("/open-data/description").get_data(as_text=True))
    en = unescape(client.get("/open-data/description?lang=en").get_data(as_text=True))
    assert '<html lang="en"' in en
    for dataset in exports.DATASETS.values():
        for column in dataset.columns:
            assert f"<code>{column.name}</code>" in nb
            with app.test_request_context(), force_locale("nb"):
                assert str(column.description) in nb
            with app.test_request_context(), force_locale("en"):
                assert str(column.description) in en  # the catalogue's English
    assert "Antall stemmer" in nb


def _age(path, minutes: float) -> None:
    stamp = time.time() - minutes * 60
    os.utime(path, (stamp, stamp))


def test_files_are_made_afresh_at_most_every_open_data_minutes(app, client, world):
    assert len(read_csv(client.get("/open-data/ideas.csv"))[1]) == 2
    make_idea(title="Enda en idé")
    # Within OPEN_DATA_MINUTES the same file is served, without the new idea.
    assert len(read_csv(client.get("/open-data/ideas.csv"))[1]) == 2
    path = exports.path_of("ideas", "csv")
    _age(path, app.config["OPEN_DATA_MINUTES"] - 1)
    assert len(read_csv(client.get("/open-data/ideas.csv"))[1]) == 2
    _age(path, app.config["OPEN_DATA_MINUTES"] + 1)
    assert len(read_csv(client.get("/open-data/ideas.csv"))[1]) == 3
    assert not [p for p in path.parent.iterdir() if p.name.endswith(".tmp")]


def test_flask_opendata_build_makes_every_file_and_keeps_fresh_ones(runner, world):
    result = runner.invoke(args=["opendata", "build"])
    assert result.exit_code == 0, result.output
    assert "ideas.csv: 2 rows" in result.output and "sdgs.json: 17 rows" in result.output
    again = runner.invoke(args=["opendata", "build"])
    assert "ideas.csv: still fresh, kept" in again.output
    forced = runner.invoke(args=["opendata", "build", "--force"])
    assert "ideas.csv: 2 rows" in forced.output
    # What a killed build left behind goes at the next run once an hour old; a newer one stays.
    folder = exports.path_of("ideas", "csv").parent
    killed, running = folder / ".ideas.csv.abc.tmp", folder / ".ideas.json.def.tmp"
    killed.write_text("half")
    running.write_text("half")
    _age(killed, 61)
    runner.invoke(args=["opendata", "build"])
    assert not killed.exists() and running.exists()


def test_a_download_during_a_rebuild_gets_a_whole_file(app, client, world, monkeypatch):
    """A reader that opened the old file keeps reading it whole while the new one is written
    beside it and renamed over it; the file at the name is always complete."""
    client.get("/open-data/ideas.json")
    path = exports.path_of("ideas", "json")
    old = path.read_bytes()
    started, release = threading.Event(), threading.Event()
    original = exports.write_json

    def slow_writer(dataset, out):
        rows = original(dataset, out)
        out.flush()
        started.set()
        release.wait(10)
        return rows

    monkeypatch.setattr(exports, "WRITERS", {**exports.WRITERS, "json": slow_writer})
    make_idea(title="Ny idé under byggingen")
    _age(path, app.config["OPEN_DATA_MINUTES"] + 1)

    def rebuild():
        with app.app_context():
            exports.ensure_file("ideas", "json")

    builder = threading.Thread(target=rebuild)
    builder.start()
    assert started.wait(10)
    # Mid-build: the name still holds the old, whole file, and a second request does not wait
    # for the build nor start another: it gets the old file.
    assert path.read_bytes() == old
    during = client.get("/open-data/ideas.json")
    assert during.data == old
    json.loads(during.data)
    release.set()
    builder.join(10)
    after = client.get("/open-data/ideas.json").get_json()
    assert "Ny idé under byggingen" in [row["title"] for row in after["data"]]
    assert not [p for p in path.parent.iterdir() if p.name.endswith(".tmp")]


def test_status_codes_in_the_export_are_the_documented_ones(client, world):
    statuses = {row["status"] for row in client.get("/open-data/ideas.json").get_json()["data"]}
    assert statuses <= {s.value for s in IdeaStatus}
