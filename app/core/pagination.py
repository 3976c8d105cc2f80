"""Pagination over a select(): one COUNT, one page of rows."""

import math
from dataclasses import dataclass, field

from flask import request, url_for
from sqlalchemy import Select, func, select

from app.core.input import DIGITS, MAX_PAGE, to_int
from app.extensions import db


@dataclass
class Page:
    items: list
    page: int
    per_page: int
    total: int
    extra: dict = field(default_factory=dict)

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page)) if self.per_page else 1

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    def window(self, around: int = 2) -> list[int | None]:
        """Page numbers to show, with None where a gap is (1 … 4 5 6 … 20)."""
        shown = {1, self.pages, *range(self.page - around, self.page + around + 1)}
        numbers = sorted(n for n in shown if 1 <= n <= self.pages)
        out: list[int | None] = []
        for n in numbers:
            if out and n - (out[-1] or 0) > 1:
                out.append(None)
            out.append(n)
        return out

    def url_for_page(self, number: int) -> str:
        args = request.args.to_dict()
        args["page"] = number
        return url_for(request.endpoint, **(request.view_args or {}), **args)


def page_number(value, default: int = 1) -> int:
    """A page number read leniently: nonsense gives `default`, a huge number the last page we
    would ever show (MAX_PAGE), so OFFSET stays within what the database can count."""
    raw = str(value if value is not None else "").strip()
    if raw and not raw.strip(DIGITS) and len(raw) > len(str(MAX_PAGE)):
        return MAX_PAGE
    number = to_int(raw, minimum=None, maximum=None)
    if number is None:
        return default
    return min(max(1, number), MAX_PAGE)


def page_args(default_per_page: int = 20, max_per_page: int = 100) -> tuple[int, int]:
    """Read ?page= and ?per_page= leniently: nonsense gives the first page, never an error."""
    page = page_number(request.args.get("page"))
    per_page = page_number(request.args.get("per_page"), default=default_per_page)
    return page, min(max(1, per_page), max_per_page)


def count_rows(stmt: Select) -> int:
    return db.session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery())) or 0


def paginate(
    stmt: Select, page: int, per_page: int, *, scalars: bool = True, total: int | None = None
) -> Page:
    """`total` may come from elsewhere (a cached count); otherwise one COUNT is run."""
    if total is None:
        total = count_rows(stmt)
    result = db.session.execute(stmt.limit(per_page).offset((page - 1) * per_page))
    items = list(result.scalars().unique() if scalars else result.all())
    return Page(items=items, page=page, per_page=per_page, total=total or 0)


def paginate_counted(stmt: Select, page: int, per_page: int) -> Page:
    """paginate() in one statement: each row carries the total (COUNT(*) OVER ()).

    For a select of one entity whose eager loads are many-to-one joins or separate loads (a
    joined collection would repeat rows). A page past the end has no row to carry the total:
    then one COUNT, as paginate() runs.
    """
    rows = db.session.execute(
        stmt.add_columns(func.count().over().label("page_total"))
        .limit(per_page).offset((page - 1) * per_page)
    ).all()
    if rows:
        return Page(items=[row[0] for row in rows], page=page, per_page=per_page, total=rows[0][-1])
    return Page(items=[], page=page, per_page=per_page, total=count_rows(stmt) if page > 1 else 0)
