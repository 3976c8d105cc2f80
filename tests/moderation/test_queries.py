"""Moderation lists cost a fixed number of queries whatever their length; the CSV helper; the CLI."""

import pytest
from sqlalchemy import event

from app.accounts.models import Role
from app.core.csv import csv_text, neutralise
from app.extensions import db
from app.moderation import services
from tests.factories import login, make_user
from tests.moderation.conftest import make_comment, make_idea


class _Counter:
    def __init__(self):
        self.count = 0

    def __call__(self, *args, **kwargs):
        self.count += 1


def _queries(client, path: str) -> int:
    counter = _Counter()
    event.listen(db.engine, "before_cursor_execute", counter)
    try:
        response = client.get(path)
    finally:
        event.remove(db.engine, "before_cursor_execute", counter)
    assert response.status_code == 200, path
    return counter.count


def _fill(n: int, reporter, moderator) -> None:
    for i in range(n):
        author = make_user()
        item = make_comment(author=author) if i % 2 else make_idea(author)
        kind = "comment" if i % 2 else "idea"
        services.report_content(reporter, kind, item.id, "spam", f"Notat {i}")
        services.report_content(make_user(), kind, item.id, "offensive")
        if i % 3 == 0:
            services.moderate_item(moderator, kind, item.id, "hide", "spam", "Nei.")
            services.submit_appeal(author, kind, item.id, "Klage.")


@pytest.mark.parametrize("path, who", [
    ("/moderation?state=all", "moderator"),
    ("/moderation/log", "moderator"),
    ("/api/v1/moderation/queue?state=all", "moderator"),
    ("/api/v1/moderation/log", "moderator"),
    ("/my/reports", "reporter"),
    ("/transparency", None),
])
def test_moderation_lists_cost_the_same_queries_for_2_and_6_items(app, path, who):
    counts = []
    for n in (2, 6):
        client = app.test_client()
        reporter, moderator = make_user(), make_user(role=Role.MODERATOR)
        _fill(n, reporter, moderator)
        if who:
            login(client, {"moderator": moderator, "reporter": reporter}[who])
        _queries(client, path)  # warm up: the first request loads what every request caches
        counts.append(_queries(client, path))
    assert counts[0] == counts[1], counts


@pytest.mark.parametrize("cell, expected", [
    ("=SUM(A1:A2)", "'=SUM(A1:A2)"),
    ("+47 999 99 999", "'+47 999 99 999"),
    ("-1", "'-1"),
    ("@cmd", "'@cmd"),
    ("\tTAB", "'\tTAB"),
    ("\rCR", "'\rCR"),
    ("Vanlig tekst = greit", "Vanlig tekst = greit"),
    (-5, -5),
    (None, ""),
])
def test_csv_neutralises_cells_that_a_spreadsheet_would_run(cell, expected):
    assert neutralise(cell) == expected


def test_csv_is_utf8_with_bom_and_semicolons():
    text = csv_text(["Navn", "Notat"], [["Åse Ødegård", "=1+1"], ["Per", 'sa "hei"; ha det']])
    assert text.startswith("\ufeffNavn;Notat\r\n")
    assert "Åse Ødegård;'=1+1\r\n" in text
    assert 'Per;"sa ""hei""; ha det"' in text


def test_cli_lists_the_queue_hides_and_writes_the_log(app, runner):
    moderator = make_user(role=Role.MODERATOR, email="mod@example.no")
    comment = make_comment()
    services.report_content(make_user(), "comment", comment.id, "spam")
    result = runner.invoke(args=["moderation", "queue"])
    assert result.exit_code == 0 and f"comment {comment.id} [open] reports=1" in result.output
    result = runner.invoke(args=["moderation", "hide", "comment", str(comment.id), "--as", "mod@example.no",
                                 "--reason", "spam", "--note", "Reklame."])
    assert result.exit_code == 0, result.output
    db.session.refresh(comment)
    assert comment.visibility.value == "hidden"
    result = runner.invoke(args=["moderation", "hide", "comment", str(comment.id), "--as", "mod@example.no",
                                 "--reason", "spam"])
    assert result.exit_code != 0 and "allerede skjult" in result.output
    result = runner.invoke(args=["moderation", "log"])
    assert result.exit_code == 0 and moderator.full_name in result.output and "Reklame." in result.output
