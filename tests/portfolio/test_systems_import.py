"""The systems register's CSV import and export: the format (BOM or none, `;` or `,`), every
mistake with its line number, all or nothing, updating a system of the same name, hostile files
(too big, too long, NUL, formulas, not UTF-8, broken quoting), the page, the CLI, and two
imports at the same moment."""

import io
import threading
import time
from datetime import date

import pytest
from sqlalchemy import func, select

from app.accounts.models import Role
from app.core.csv import csv_text
from app.core.errors import InvalidState
from app.extensions import db
from app.portfolio import systems
from app.portfolio.models import System
from tests.factories import login, make_user
from tests.portfolio.test_systems import make_areas, make_system

HEADER = "navn;leverandør;eierområde;brukes_av;kontraktslutt;beskrivelse;nettadresse"
GOOD = "\n".join([
    HEADER,
    "Visma Flyt Skole;Visma;Oppvekst og utdanning;Oppvekst og utdanning;31.07.2027;"
    "Elevadministrasjon, fravær og vurdering.;https://www.visma.no",
    'Gerica;Tietoevry;Helse og velferd;"Helse og velferd, Organisasjon og støtte";2027-12-31;'
    '"Journal for pleie og omsorg; brukes i hjemmetjenesten.";',
    "Public 360;Tietoevry;Organisasjon og støtte;Oppvekst og utdanning|Helse og velferd|"
    "Organisasjon og støtte;;Sak og arkiv.;",
]) + "\n"


@pytest.fixture
def areas(app):
    return make_areas()


@pytest.fixture
def manager(app):
    return make_user(role=Role.PORTFOLIO_MANAGER)


def _count() -> int:
    return db.session.scalar(select(func.count()).select_from(System))


def _rejected(manager, data) -> systems.ImportRejected:
    with pytest.raises(systems.ImportRejected) as raised:
        systems.import_systems(manager, data)
    assert _count() == 0 or raised.value  # nothing stored is checked by each test
    return raised.value


def _lines(error: systems.ImportRejected) -> list[tuple[int, str | None]]:
    return [(e.line, e.column) for e in error.errors]


# --- good files ---------------------------------------------------------------------------


@pytest.mark.parametrize("encode", [
    lambda text: text.encode("utf-8"),
    lambda text: ("\ufeff" + text).encode("utf-8"),
    lambda text: text.replace("\n", "\r\n").encode("utf-8"),
    lambda text: ("\ufeff" + text).replace("\n", "\r\n").encode("utf-8"),
    lambda text: text,  # pasted on the page
], ids=["utf8", "bom", "crlf", "bom-crlf", "text"])
def test_a_good_file_is_imported_with_every_field(areas, manager, encode):
    result = systems.import_systems(manager, encode(GOOD))
    assert result.created == ["Visma Flyt Skole", "Gerica", "Public 360"] and not result.updated
    db.session.expire_all()
    gerica = db.session.scalar(select(System).where(System.name == "Gerica"))
    assert gerica.supplier == "Tietoevry" and gerica.owner_area.name == "Helse og velferd"
    assert [a.name for a in gerica.areas] == ["Helse og velferd", "Organisasjon og støtte"]
    assert gerica.contract_end == date(2027, 12, 31)
    assert gerica.description == "Journal for pleie og omsorg; brukes i hjemmetjenesten."
    visma = db.session.scalar(select(System).where(System.name == "Visma Flyt Skole"))
    assert visma.contract_end == date(2027, 7, 31) and visma.url == "https://www.visma.no"
    public = db.session.scalar(select(System).where(System.name == "Public 360"))
    assert len(public.areas) == 3 and public.contract_end is None


def test_commas_between_cells_and_columns_in_any_order(areas, manager):
    text = ("beskrivelse,Navn,Eierområde,Brukes av,kontraktslutt\n"
            '"Timeplan, elevregister og fakturering",Speedadmin,Oppvekst og utdanning,,1.8.2028\n'
            "Oppvekstportal,Vigilo,oppvekst og utdanning,Health and Welfare,\n")
    result = systems.import_systems(manager, text.encode())
    assert result.created == ["Speedadmin", "Vigilo"]
    vigilo = db.session.scalar(select(System).where(System.name == "Vigilo"))
    assert vigilo.supplier == "" and [a.name for a in vigilo.areas] == ["Helse og velferd"]
    speedadmin = db.session.scalar(select(System).where(System.name == "Speedadmin"))
    assert speedadmin.description == "Timeplan, elevregister og fakturering"
    assert speedadmin.contract_end == date(2028, 8, 1)


def test_a_system_of_the_same_name_is_updated_not_added_twice(areas, manager):
    make_system("Gerica", areas["Helse og velferd"], supplier="Tieto", users=(areas["Helse og velferd"],),
                contract_end=date(2026, 12, 31), description="Gammel tekst.", url="https://tieto.no")
    text = "navn;leverandør;eierområde;kontraktslutt\n  GERICA ;Tietoevry;Helse og velferd;\nProfil;Norconsult;Organisasjon og støtte;2029-01-01\n"
    result = systems.import_systems(manager, text)
    assert result.updated == ["GERICA"] and result.created == ["Profil"]
    db.session.expire_all()
    assert _count() == 2
    gerica = db.session.scalar(select(System).where(System.name_key == "gerica"))
    # The file's columns replace the values (an empty cell clears), the others stay.
    assert gerica.name == "GERICA" and gerica.supplier == "Tietoevry" and gerica.contract_end is None
    assert gerica.description == "Gammel tekst." and gerica.url == "https://tieto.no"
    assert [a.name for a in gerica.areas] == ["Helse og velferd"]
    again = systems.import_systems(manager, text)
    assert again.unchanged == ["GERICA", "Profil"] and not again.created and not again.updated


def test_export_and_import_again_changes_nothing_even_with_formula_like_text(areas, manager, client):
    make_system("=Regneark", areas["Helse og velferd"], supplier="@leverandør", description="-minus\nto linjer",
                users=(areas["Helse og velferd"], areas["Oppvekst og utdanning"]), contract_end=date(2027, 5, 1))
    make_system("Profil", areas["Organisasjon og støtte"], supplier="Norconsult")
    login(client, manager)
    response = client.get("/staff/systems.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    body = response.get_data()
    assert body.startswith("\ufeff".encode())
    assert "'=Regneark;'@leverandør;Helse og velferd" in body.decode()
    result = systems.import_systems(manager, body)
    assert sorted(result.unchanged) == ["=Regneark", "Profil"] and not result.created and not result.updated


def test_the_template_has_the_columns_and_nothing_else(areas, manager, client):
    login(client, manager)
    body = client.get("/staff/systems/template.csv").get_data(as_text=True)
    assert body == "\ufeff" + ";".join(systems.COLUMNS) + "\r\n"
    assert systems.import_systems(manager, body).rows == 0


def test_a_check_stores_nothing(areas, manager):
    result = systems.import_systems(manager, GOOD, dry_run=True)
    assert result.dry_run and len(result.created) == 3
    assert _count() == 0


# --- mistakes, with their line numbers, and nothing stored ---------------------------------


def test_every_mistake_is_reported_with_its_line_and_nothing_is_imported(areas, manager):
    make_system("Gerica", areas["Helse og velferd"], supplier="Tieto")
    text = "\n".join([
        HEADER,                                                                   # 1
        "Visma Flyt Skole;Visma;Oppvekst og utdanning;;31.07.2027;;",             # 2 good
        'Gerica;Tietoevry;Helse og velferd;;;"Første linje',                     # 3 good, two lines
        'andre linje";',                                                          # 4
        ";Ingen;Helse og velferd;;;;",                                            # 5 no name
        "Iladal;X;Kultur og fritid;;;;",                                          # 6 unknown owner
        "Lokalt;X;Helse og velferd;Helse, Samfunn;;;",                            # 7 unknown users
        "Dato;X;Helse og velferd;;31.02.2027;;",                                  # 8 impossible date
        "Formel;=HYPERLINK(\"http://x\");Helse og velferd;;;;",                   # 9 formula
        "Nul;X\x00Y;Helse og velferd;;;;",                                        # 10 NUL
        "visma flyt skole;Visma;Oppvekst og utdanning;;;;",                       # 11 twice in the file
        "Lenke;X;Helse og velferd;;;;javascript:alert(1)",                        # 12 bad address
        "For mange;X;Helse og velferd;;;;;ekstra",                                # 13 extra cell
        "",                                                                       # 14 blank: skipped
        "Eier mangler;X;;;;;",                                                    # 15 no owner
    ]) + "\n"
    error = _rejected(manager, text.encode())
    assert _lines(error) == [
        (5, "navn"), (6, "eierområde"), (7, "brukes_av"), (7, "brukes_av"), (8, "kontraktslutt"),
        (9, "leverandør"), (10, "leverandør"), (11, "navn"), (12, "nettadresse"), (13, None), (15, "eierområde"),
    ]
    messages = {(e.line, e.column): e.message for e in error.errors}
    assert "Ingenting er importert" in error.message
    assert messages[(5, "navn")] == "Skriv navnet på systemet."
    assert "Ukjent kommunalområde «Kultur og fritid». Kjente: Oppvekst og utdanning, Helse og velferd, " \
           "Organisasjon og støtte" in messages[(6, "eierområde")]
    assert "«31.02.2027» er ikke en dato" in messages[(8, "kontraktslutt")]
    assert "regnearkformel" in messages[(9, "leverandør")]
    assert "ikke kan lagres" in messages[(10, "leverandør")]
    assert messages[(11, "navn")].startswith("Samme navn som på linje 2.")
    assert "Raden har 8 celler, men overskriften har 7" in messages[(13, None)]
    assert _count() == 1
    assert db.session.scalar(select(System.supplier).where(System.name == "Gerica")) == "Tieto"


def test_a_row_with_several_mistakes_reports_each_once(areas, manager):
    error = _rejected(manager, "navn;eierområde;kontraktslutt;nettadresse\nGerica;Ukjent;31.02.2027;ftp://x\n"
                               "=SUM(A1);;;\n")
    assert _lines(error) == [(2, "eierområde"), (2, "nettadresse"), (2, "kontraktslutt"), (3, "navn"),
                             (3, "eierområde")]
    assert "regnearkformel" in error.errors[3].message
    assert error.errors[4].message == "Skriv hvilket kommunalområde som eier systemet."


@pytest.mark.parametrize(("header", "words"), [
    ("navn;leverandor;eieromrade;kontraktsslutt", "Ukjent kolonne «kontraktsslutt»"),
    ("navn;leverandør", "Kolonnen «eierområde» mangler"),
    ("name;owner", "Kolonnen «navn» mangler"),
    ("navn;eierområde;navn", "Kolonnen «navn» står to ganger"),
])
def test_a_wrong_header_is_explained(areas, manager, header, words):
    error = _rejected(manager, f"{header}\nGerica;Helse og velferd\n")
    assert any(words in e.message for e in error.errors), [e.message for e in error.errors]
    assert all(e.line == 1 for e in error.errors)


def test_a_leading_apostrophe_keeps_formula_like_text_as_text(areas, manager):
    systems.import_systems(manager, "navn;eierområde;beskrivelse\n'=Sum;Helse og velferd;'+ og -\n")
    system = db.session.scalar(select(System))
    assert system.name == "=Sum" and system.description == "+ og -"


@pytest.mark.parametrize(("data", "words"), [
    ("navn;eieromrade\nGårdsbruk;Helse og velferd\n".encode("cp1252"), "ikke lagret som UTF-8 (linje 2)"),
    (b"", "Filen er tom"),
    (b"\xef\xbb\xbf", "Filen er tom"),
    # An open quote runs to the end of the file: one cell, so no owner.
    ('navn;eierområde\n"Åpent sitat;Helse og velferd\n'.encode(), "Skriv hvilket kommunalområde"),
], ids=["cp1252", "empty", "only-bom", "open-quote"])
def test_files_that_cannot_be_read_say_why(areas, manager, data, words):
    error = _rejected(manager, data)
    assert words in " ".join([error.message, *(e.message for e in error.errors)])
    assert _count() == 0


def test_a_file_too_big_is_refused_before_it_is_read(areas, manager, app):
    app.config["SYSTEMS_IMPORT_MAX_MB"] = 1
    data = (HEADER + "\n").encode() + b"x" * (1024 * 1024)
    error = _rejected(manager, data)
    assert "Filen er for stor. Den kan være høyst 1 MB." in error.message
    assert error.fields == {"file": [error.message]}


def test_too_many_rows_are_refused(areas, manager, app):
    app.config["SYSTEMS_IMPORT_MAX_ROWS"] = 5
    rows = "".join(f"System {n};Helse og velferd\n" for n in range(6))
    error = _rejected(manager, "navn;eierområde\n" + rows)
    assert "Filen har flere enn 5 rader" in error.message and error.errors[0].line == 7
    assert systems.import_systems(manager, "navn;eierområde\n" + rows[: rows.index("System 5")]).rows == 5


def test_a_huge_cell_is_refused_with_its_line(areas, manager):
    error = _rejected(manager, "navn;eierområde;beskrivelse\nA;Helse og velferd;ok\nB;Helse og velferd;" + "x" * 200_000 + "\n")
    assert error.errors[0].line == 3
    assert _count() == 0


def test_ten_thousand_rows_import_at_once(areas, manager, backend):
    rows = [f"System {n:05d};Leverandør {n % 37};Helse og velferd;Oppvekst og utdanning, Helse og velferd;"
            f"{1 + n % 28}.{1 + n % 12}.{2027 + n % 4};Fagsystem nummer {n} for saksbehandling;" for n in range(10_000)]
    data = ("\ufeff" + HEADER + "\n" + "\n".join(rows) + "\n").encode()
    started = time.monotonic()
    result = systems.import_systems(manager, data)
    took = time.monotonic() - started
    assert len(result.created) == 10_000 and _count() == 10_000
    print(f"\n10,000 new systems on {backend}: {took:.1f} s")
    started = time.monotonic()
    again = systems.import_systems(manager, data)
    print(f"10,000 unchanged on {backend}: {time.monotonic() - started:.1f} s")
    assert len(again.unchanged) == 10_000
    assert [s.name for s in systems.similar_systems("saksbehandling", limit=2)] != []
    assert took < 120


# --- the page and the command line ---------------------------------------------------------


def test_uploading_a_file_on_the_page(client, areas, manager):
    login(client, manager)
    page = client.get("/staff/systems/import").get_data(as_text=True)
    assert "navn;leverandør;eierområde" in page or "<code>navn</code>" in page
    assert "/staff/systems/template.csv" in page
    response = client.post("/staff/systems/import", data={
        "file": (io.BytesIO(("\ufeff" + GOOD).encode()), "systemer.csv"), "action": "import",
    }, content_type="multipart/form-data")
    assert response.status_code == 302
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Importen er ferdig: 3 nye systemer, 0 endret og 0 uendret." in html
    assert _count() == 3


def test_checking_a_file_on_the_page_stores_nothing(client, areas, manager):
    login(client, manager)
    html = client.post("/staff/systems/import", data={"text": GOOD, "action": "check"}).get_data(as_text=True)
    assert "Filen er i orden" in html and "3 nye systemer" in html
    assert _count() == 0


def test_mistakes_on_the_page_are_listed_by_line_and_pasted_text_is_kept(client, areas, manager):
    login(client, manager)
    text = "navn;eierområde;kontraktslutt\nGerica;Helse og velferd;snart\n<script>x</script>;Ukjent;\n"
    response = client.post("/staff/systems/import", data={"text": text, "action": "import"})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Ingenting er importert" in html
    assert '<td class="numeric">2</td><td>kontraktslutt</td>' in html
    assert '<td class="numeric">3</td><td>eierområde</td>' in html
    assert "&lt;script&gt;x&lt;/script&gt;" in html and "<script>x</script>" not in html
    assert _count() == 0


def test_a_file_the_page_cannot_read_is_named_next_to_the_field(client, areas, manager):
    login(client, manager)
    html = client.post("/staff/systems/import", data={
        "file": (io.BytesIO("navn;eierområde\nÆ;Helse og velferd\n".encode("latin-1")), "x.csv"), "action": "import",
    }, content_type="multipart/form-data").get_data(as_text=True)
    assert 'id="file-error"' in html and "ikke lagret som UTF-8" in html
    html = client.post("/staff/systems/import", data={"action": "import"}).get_data(as_text=True)
    assert "Velg en CSV-fil, eller lim inn innholdet" in html


def test_the_command_line_import_prints_what_it_did(runner, areas, manager, tmp_path):
    path = tmp_path / "systemer.csv"
    path.write_text(GOOD, encoding="utf-8")
    result = runner.invoke(args=["portfolio", "import-systems", str(path), "--as", manager.email, "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "Would import 3 rows" in result.output and "Nothing was stored" in result.output
    assert _count() == 0
    result = runner.invoke(args=["portfolio", "import-systems", str(path), "--as", manager.email])
    assert result.exit_code == 0, result.output
    assert "Imported 3 rows from" in result.output and "3 new, 0 updated, 0 unchanged" in result.output
    assert "  new: Gerica" in result.output
    assert _count() == 3


def test_the_command_line_import_prints_mistakes_with_line_numbers(runner, areas, manager, tmp_path):
    path = tmp_path / "feil.csv"
    path.write_text("navn;eierområde\nA;Helse og velferd\nB;Ingensteds\n", encoding="utf-8")
    result = runner.invoke(args=["portfolio", "import-systems", str(path), "--as", manager.email])
    assert result.exit_code == 1
    assert "line 3, eierområde: Ukjent kommunalområde «Ingensteds»" in result.output
    assert "Ingenting er importert" in result.output
    resident = make_user(role=Role.RESIDENT)
    result = runner.invoke(args=["portfolio", "import-systems", str(path), "--as", resident.email])
    assert result.exit_code == 1 and "Bare porteføljeforvaltere" in result.output
    assert _count() == 0


# --- two imports at the same moment (PostgreSQL) -------------------------------------------


def test_two_imports_of_the_same_new_system_at_once_store_it_once(app, areas, manager, backend):
    if backend != "postgresql":
        pytest.skip("concurrent writers meet in PostgreSQL; SQLite serialises them")
    text = "navn;eierområde;leverandør\nSamtidig;Helse og velferd;{}\n"
    barrier = threading.Barrier(2)
    outcomes: list[str] = []
    manager_id = manager.id

    def run(supplier: str) -> None:
        with app.app_context():
            from app.accounts.models import User

            person = db.session.get(User, manager_id)
            barrier.wait()
            try:
                systems.import_systems(person, text.format(supplier))
                outcomes.append("ok")
            except InvalidState as error:
                outcomes.append(error.message)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run, args=(name,)) for name in ("A", "B")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert "ok" in outcomes and len(outcomes) == 2
    assert all(o == "ok" or "samtidig" in o for o in outcomes)
    db.session.expire_all()
    assert _count() == 1


def _in_thread(app, manager_id: int, barrier: threading.Barrier, failures: list, work) -> threading.Thread:
    """Run work(person) in its own app context and session, after the barrier; keep any failure."""

    def run() -> None:
        with app.app_context():
            from app.accounts.models import User

            person = db.session.get(User, manager_id)
            barrier.wait()
            try:
                work(person)
            except Exception as error:
                failures.append(error)
            finally:
                db.session.remove()

    return threading.Thread(target=run)


def test_an_edit_and_an_import_of_the_same_system_at_once_both_land(app, areas, manager, backend):
    """The import locks the register and an edit waits for it first: never a deadlock (a 500)."""
    if backend != "postgresql":
        pytest.skip("concurrent writers meet in PostgreSQL; SQLite serialises them")
    system_id = make_system("Gerica", areas["Helse og velferd"], supplier="Tieto").id
    owner_id = areas["Helse og velferd"].id
    for round_ in range(4):
        barrier, failures = threading.Barrier(2), []
        edit = {"name": "Gerica", "owner_area_id": owner_id, "supplier": f"Redigert {round_}"}
        text = (f"navn;eierområde;leverandør\nGerica;Helse og velferd;Import {round_}\n"
                + "".join(f"Ny {round_} {n};Helse og velferd;X\n" for n in range(50)))
        threads = [
            _in_thread(app, manager.id, barrier, failures, lambda person, edit=edit: systems.update_system(
                person, db.session.get(System, system_id), edit)),
            _in_thread(app, manager.id, barrier, failures, lambda person, text=text: systems.import_systems(
                person, text)),
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
        assert failures == []
    db.session.expire_all()
    assert db.session.get(System, system_id).supplier in {"Redigert 3", "Import 3"}
    assert _count() == 1 + 4 * 50


def test_csv_text_helper_round_trips_through_the_import(areas, manager):
    text = csv_text(list(systems.COLUMNS), [["Elements", "Sikri", "Organisasjon og støtte", "", date(2030, 6, 30),
                                             "Sak/arkiv", ""]])
    assert systems.import_systems(manager, text).created == ["Elements"]
