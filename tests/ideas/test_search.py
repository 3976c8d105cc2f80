"""Full-text search on both databases: Norwegian word forms, updates, hidden ideas, idempotent setup."""

from sqlalchemy import select

from app.extensions import db
from app.ideas import search, services
from app.ideas.queries import IdeaFilters, list_ideas, similar_ideas
from tests.factories import make_user
from tests.ideas.factories import make_idea


def _titles(q: str) -> list[str]:
    return [idea.title for idea in list_ideas(IdeaFilters(q=q), None, 1, 50).items]


def test_search_finds_skolevei_in_tryggere_skoleveier(app, backend):
    make_idea(title="Tryggere skoleveier i Nordbygda")
    make_idea(title="Flere benker i Fjordparken", body="Eldre trenger steder å hvile på turen langs fjorden.")
    assert _titles("skolevei") == ["Tryggere skoleveier i Nordbygda"]


def test_search_finds_other_forms_of_the_word(app, backend):
    make_idea(title="Ny skolevei forbi butikken")
    assert _titles("skoleveiene") == ["Ny skolevei forbi butikken"]
    assert _titles("skoleveier") == ["Ny skolevei forbi butikken"]


def test_search_looks_in_the_description_too(app):
    make_idea(title="Lys i mørket", body="Gangveien langs fjorden er helt mørk om kvelden, så vi trenger gatelys.")
    assert _titles("gatelys") == ["Lys i mørket"]


def test_every_word_must_match(app):
    make_idea(title="Gatelys langs fjorden", body="Mørk vei om kvelden, det trengs lys for syklister.")
    make_idea(title="Gatelys i sentrum", body="Lysene i sentrum er gamle og bruker mye strøm.")
    assert _titles("gatelys fjorden") == ["Gatelys langs fjorden"]


def test_search_follows_edits(app):
    author = make_user()
    idea = make_idea(author, title="Benker i parken")
    services.update_idea(author, idea, services.IdeaInput(
        title="Bålplass ved vannet", body=idea.body, service_area_id=idea.service_area_id))
    assert _titles("benker") == []
    assert _titles("bålplass") == ["Bålplass ved vannet"]


def test_hidden_ideas_are_not_found(app):
    make_idea(title="Skjult skolevei", hidden=True)
    make_idea(title="Synlig skolevei")
    assert _titles("skolevei") == ["Synlig skolevei"]


def test_search_text_with_query_syntax_is_harmless(app):
    make_idea(title="Tryggere skoleveier i Nordbygda")
    for text in ['"skolevei', "skolevei*", "NEAR(skolevei)", "skolevei OR -", "(", "'; DROP TABLE ideas; --"]:
        list_ideas(IdeaFilters(q=text), None, 1, 10)  # no error
    assert _titles('"skolevei') == ["Tryggere skoleveier i Nordbygda"]


def test_similar_ideas_rank_the_closest_first(app):
    make_idea(title="Fortau langs skoleveien", body="Barna går i veibanen, vi trenger fortau langs skoleveien.")
    make_idea(title="Gatelys i sentrum", body="Lysene i sentrum er gamle og bruker mye strøm om natten.")
    make_idea(title="Fartsdumper ved skolen", body="Bilene kjører fort forbi skolen, og barna må krysse veien.")
    found = [idea.title for idea in similar_ideas("Fortau på skoleveien til Nordbygda skole")]
    assert found[0] == "Fortau langs skoleveien"
    assert "Gatelys i sentrum" not in found


def test_similar_ideas_while_typing_match_the_unfinished_last_word(app):
    make_idea(title="Tryggere skoleveier i Nordbygda")
    assert [i.title for i in similar_ideas("Trygge skolev")] == ["Tryggere skoleveier i Nordbygda"]


def test_similar_ideas_leave_out_hidden_and_withdrawn_ones(app):
    from app.ideas.models import IdeaStatus

    make_idea(title="Skolevei skjult", hidden=True)
    make_idea(title="Skolevei trukket", status=IdeaStatus.WITHDRAWN)
    assert similar_ideas("skolevei") == []


def test_install_search_can_run_again(app, backend):
    connection = db.session.connection()
    search.install_search(connection)
    search.install_search(connection)
    db.session.commit()
    make_idea(title="Tryggere skoleveier i Nordbygda")
    assert _titles("skolevei") == ["Tryggere skoleveier i Nordbygda"]


def test_search_index_is_filled_from_existing_ideas_when_created(app, backend):
    if backend != "sqlite":
        # The PostgreSQL column is generated, so existing rows get it by construction.
        make_idea(title="Eksisterende skolevei")
        assert _titles("skolevei") == ["Eksisterende skolevei"]
        return
    make_idea(title="Eksisterende skolevei")
    connection = db.session.connection()
    for statement in ("DROP TRIGGER ideas_fts_insert", "DROP TRIGGER ideas_fts_update",
                      "DROP TRIGGER ideas_fts_delete", "DROP TABLE ideas_fts"):
        connection.exec_driver_sql(statement)
    search.install_search(connection)
    db.session.commit()
    assert _titles("skolevei") == ["Eksisterende skolevei"]


def test_light_stemmer_strips_norwegian_endings():
    assert search.stem("skoleveier") == "skolevei"
    assert search.stem("skoleveien") == "skolevei"
    assert search.stem("skolevei") == "skolevei"
    assert search.stem("bær") == "bær"


def test_search_vector_exists_only_where_expected(app, backend):
    if backend == "postgresql":
        names = db.session.scalars(select(db.text("indexname")).select_from(db.text("pg_indexes"))
                                   .where(db.text("tablename = 'ideas'"))).all()
        assert "ix_search_ideas" in names
    else:
        tables = db.session.scalars(db.text("SELECT name FROM sqlite_master WHERE name = 'ideas_fts'")).all()
        assert tables == ["ideas_fts"]
