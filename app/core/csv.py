"""CSV downloads that open cleanly in Excel and cannot smuggle formulas into it.

UTF-8 with a byte-order mark (so Excel reads æøå), ';' as separator (Norwegian Excel
expects it, since ',' is the decimal sign), and every text cell that starts with
= + - @ or a tab or carriage return prefixed with an apostrophe, so a spreadsheet shows it
as text instead of running it (CSV/formula injection, OWASP).

    return csv_response("moderasjonslogg.csv", ["Tid", "Handling"], rows)
"""

import csv
import io
from collections.abc import Iterable, Sequence
from datetime import date, datetime

from flask import Response, stream_with_context

BOM = "\ufeff"
DELIMITER = ";"
_DANGEROUS_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value) -> str | int | float:
    """One cell: numbers as they are, dates as ISO text, text safe from formula injection."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nei"
    if isinstance(value, int | float):
        return value
    if isinstance(value, datetime | date):
        return value.isoformat()
    text = str(value)
    if text.startswith(_DANGEROUS_START):
        return "'" + text
    return text


def _line(row: Sequence) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=DELIMITER, lineterminator="\r\n").writerow(
        [neutralise(cell) for cell in row]
    )
    return buffer.getvalue()


def csv_text(header: Sequence, rows: Iterable[Sequence]) -> str:
    """The whole file as one string (BOM first); for small exports and tests."""
    return "".join(csv_lines(header, rows))


def csv_lines(header: Sequence, rows: Iterable[Sequence]):
    yield BOM + _line(header)
    for row in rows:
        yield _line(row)


def csv_response(filename: str, header: Sequence, rows: Iterable[Sequence]) -> Response:
    """A streamed download; `rows` may be a generator reading the database in batches."""
    safe_name = "".join(c for c in filename if c.isalnum() or c in "._-") or "export.csv"
    return Response(
        stream_with_context(csv_lines(header, rows)),
        mimetype="text/csv",
        headers={
            "Content-Type": "text/csv; charset=utf-8",
            "Content-Disposition": f'attachment; filename="{safe_name}"',
            "Cache-Control": "no-store",
        },
    )
