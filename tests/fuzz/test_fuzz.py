"""Hostile input for every route, form and API operation: never a 5xx, errors in the documented
shape, nothing written on an error.

The routes come from `app.url_map`, the query-argument names from the code that reads
`request.args`, the form fields from the WTForms classes each view builds, and the JSON keys
from the string literals of each API view, so a new route is fuzzed without editing this file.
Hypothesis only generates here: every example is checked and every failure recorded, so one run
reports all of them. FUZZ_EXAMPLES (examples per route and role) bounds the run; `make fuzz`
raises it. The run is derandomised, so CI is reproducible.
"""

import ast
import inspect
import json
import logging
import os
import re
import sys
import textwrap
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from sqlalchemy import text
from wtforms.fields.core import UnboundField

from app.accounts.models import Membership, MembershipRole, Organisation, OrganisationKind, Role
from app.extensions import db
from app.moderation.services import report_content
from tests.factories import login, make_user
from tests.moderation.conftest import make_comment
from tests.portfolio.conftest import make_world

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "15"))
APP_ROOT = Path(__file__).resolve().parents[2] / "app"

# Routes that end the fuzzing client's own session: fuzzing them would turn the rest of the
# run into an anonymous one. Their input is plain (a POST with nothing to parse).
SESSION_ENDERS = {"accounts.logout", "static"}

# Ids that exist (the world below is built in a clean database), and ids no database column holds.
IDS = [1, 2, 3, 0, 99_999, 2**31 - 1, 2**31, 2**63 - 1, 2**63, 10**20, -1]
HUGE_NUMBERS = [2**31 - 1, 2**31, 2**53 + 1, 2**63 - 1, 2**63, 10**20, 10**30, -1, -(2**31) - 1, -(2**63) - 1, 0]
FLOATS = [1e308, 1e137, -1e308, 0.5, -0.0, float("nan"), float("inf"), float("-inf")]
NASTY_TEXT = [
    "a\x00b", "\x00", "\ud800", "a\udfffb", "x" * 10_001, "", " ", "\r\nX-Injected: 1", "\t",
    "0001-01-01", "9999-12-31", "2026-02-30", "-1", "0", "1e137", "99999999999999999999",
    "2147483648", "9223372036854775808", "NaN", "true", "null", "[]", "{}", "ÆØÅ æøå",
    "<script>alert(1)</script>", "//evil.example", "/\\evil.example", "javascript:alert(1)",
    "%00", "%ZZ", "³", "١٢", "1_000", "+5", " 7 ", "../../etc/passwd", "' OR 1=1 --", "\u202e", "\ufeff", "🙂" * 300,
]


# --- what the app reads ------------------------------------------------------------------------


def _literals(source: str) -> set[str]:
    """Identifier-like string constants in a piece of Python source."""
    out = set()
    for node in ast.walk(ast.parse(textwrap.dedent(source))):
        if (isinstance(node, ast.Constant) and isinstance(node.value, str)
                and re.fullmatch(r"[a-z][a-z0-9_]{0,40}", node.value)):
            out.add(node.value)
    return out


def query_arg_names() -> list[str]:
    """Every name the code reads from request.args (directly or in a from_args helper)."""
    names: set[str] = set()
    pattern = re.compile(r"""args(?:\.get(?:list)?\(|\[)\s*["'](\w+)["']""")
    for path in APP_ROOT.rglob("*.py"):
        source = path.read_text(encoding="utf-8")
        names.update(pattern.findall(source))
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.FunctionDef) and node.name == "from_args":
                names.update(_literals(ast.get_source_segment(source, node) or ""))
    return sorted(names)


def _form_classes_in(function) -> list[type]:
    module = sys.modules[function.__module__]
    found = []
    for name in re.findall(r"\b(\w+Form)\(", inspect.getsource(function)):
        candidate = getattr(module, name, None)
        if isinstance(candidate, type):
            found.append(candidate)
    return found


def form_fields(form_class: type) -> list[str]:
    names = []
    for klass in reversed(form_class.__mro__):
        for name, value in vars(klass).items():
            if isinstance(value, UnboundField) and name not in names:
                names.append(name)
    return names


def _all_form_fields() -> list[str]:
    from flask_wtf import FlaskForm

    names: set[str] = set()
    for module_name, module in list(sys.modules.items()):
        if module_name.startswith("app.") and module_name.endswith("forms"):
            for value in vars(module).values():
                if isinstance(value, type) and issubclass(value, FlaskForm):
                    names.update(form_fields(value))
    return sorted(names)


def _declared_field_sets() -> set[str]:
    """Sets of accepted JSON fields the services declare (e.g. PROJECT_FIELDS)."""
    names: set[str] = set()
    for module_name, module in list(sys.modules.items()):
        if module_name.startswith("app."):
            for attr, value in vars(module).items():
                if attr.endswith("_FIELDS") and isinstance(value, set | frozenset | tuple | list):
                    names.update(v for v in value if isinstance(v, str))
    return names


@dataclass
class Route:
    rule: str
    method: str
    endpoint: str
    converters: list[tuple[str, str, list[str]]]  # (name, converter, choices for any())
    form_names: list[str] = field(default_factory=list)
    json_keys: list[str] = field(default_factory=list)

    @property
    def is_api(self) -> bool:
        return self.rule.startswith("/api/")

    def __str__(self) -> str:
        return f"{self.method} {self.rule}"


_PARAM = re.compile(r"<(?:(\w+)(?:\(([^)]*)\))?:)?(\w+)>")


def routes(app) -> list[Route]:
    generic_fields = _all_form_fields()
    declared = _declared_field_sets()
    out = []
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if rule.endpoint in SESSION_ENDERS:
            continue
        converters = []
        for converter, args, name in _PARAM.findall(rule.rule):
            choices = [c.strip().strip("'\"") for c in args.split(",")] if converter == "any" else []
            converters.append((name, converter or "default", choices))
        view = app.view_functions[rule.endpoint]
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            route = Route(rule.rule, method, rule.endpoint, converters)
            if method != "GET":
                if route.is_api:
                    module_source = inspect.getsource(sys.modules[view.__module__])
                    route.json_keys = sorted(_literals(inspect.getsource(view)) | declared
                                             | _literals(module_source))
                else:
                    forms = _form_classes_in(view)
                    names = [n for form in forms for n in form_fields(form)]
                    names += re.findall(r"""request\.form\.get(?:list)?\(\s*["'](\w+)["']""",
                                        inspect.getsource(view))
                    route.form_names = sorted(set(names)) or generic_fields
            out.append(route)
    return out


# --- values --------------------------------------------------------------------------------------

numbers = st.one_of(st.sampled_from(HUGE_NUMBERS), st.integers())
floats = st.one_of(st.sampled_from(FLOATS), st.floats())
texts = st.one_of(st.sampled_from(NASTY_TEXT), st.text(max_size=40),
                  st.text(st.characters(min_codepoint=0, max_codepoint=0x10FFFF, categories=["Cc", "Cs", "Co", "Zs"]), max_size=8))
scalars = st.one_of(st.none(), st.booleans(), numbers, floats, texts)
json_values = st.recursive(
    scalars,
    lambda children: st.lists(children, max_size=3) | st.dictionaries(texts, children, max_size=3),
    max_leaves=6,
)
text_values = st.one_of(texts, numbers.map(str), floats.map(repr))

DEEP = b"[" * 100_000 + b"]" * 100_000
RAW_BODIES = [
    DEEP, b'{"a":' * 5_000 + b"1" + b"}" * 5_000, b'{"body": "\\ud800", "title": "\\udfff"}',
    b'{"body": "a\\u0000b"}', b"\xff\xfe\x00", b"null", b"[]", b'"text"', b"1e999", b"NaN",
    b"not json", b"", b'{"title": ' + b"9" * 5_000 + b"}",
]


def _enc(value: str) -> str:
    # Lone surrogates go over the wire as the bytes a broken client would send.
    return quote(value.encode("utf-8", "surrogatepass"), safe="")


@st.composite
def requests_for(draw, route: Route, query_names: list[str]):
    path = route.rule
    for name, converter, choices in route.converters:
        if converter == "int":
            value = str(draw(st.sampled_from(IDS)))
        elif converter == "any":
            value = draw(st.sampled_from([*choices, "nothing"]))
        else:
            value = _enc(draw(st.one_of(st.sampled_from(["idea", "comment", "user", "project"]), texts)) or "x")
        path = re.sub(rf"<(?:[^<>]*:)?{name}>", value, path, count=1)
    chosen = draw(st.lists(st.sampled_from(query_names), max_size=4, unique=True))
    query = "&".join(f"{name}={_enc(draw(text_values))}" for name in chosen)
    url = path + ("?" + query if query else "")
    body, content_type = None, None
    if route.method != "GET":
        if route.is_api:
            kind = draw(st.sampled_from(["object", "object", "object", "any", "raw"]))
            if kind == "raw":
                body = draw(st.sampled_from(RAW_BODIES))
            else:
                if kind == "object" and route.json_keys:
                    keys = draw(st.lists(st.sampled_from(route.json_keys), max_size=6, unique=True))
                    payload = {key: draw(json_values) for key in keys}
                else:
                    payload = draw(json_values)
                body = json.dumps(payload, ensure_ascii=True, allow_nan=True).encode()
            content_type = "application/json"
        else:
            names = draw(st.lists(st.sampled_from(route.form_names or ["x"]), max_size=10, unique=True))
            body = "&".join(f"{name}={_enc(draw(text_values))}" for name in names).encode()
            content_type = "application/x-www-form-urlencoded"
    return url, body, content_type


# --- checks --------------------------------------------------------------------------------------


def snapshot_sql() -> str:
    counts = [f'(SELECT COUNT(*) FROM "{t.name}")' for t in db.metadata.sorted_tables]
    counters = "(SELECT COALESCE(SUM(vote_count + comment_count + endorsement_count), 0) FROM ideas)"
    return "SELECT " + ", ".join([*counts, counters])


def snapshot(sql: str) -> tuple:
    with db.engine.connect() as conn:
        return tuple(conn.execute(text(sql)).one())


class ErrorLog(logging.Handler):
    """Keeps the last unhandled exception the app logged, to name it in the report."""

    def __init__(self):
        super().__init__(level=logging.ERROR)
        self.last: str | None = None

    def emit(self, record):
        if record.exc_info:
            exc = record.exc_info[1]
            self.last = f"{type(exc).__name__}: {str(exc)[:200]}"


def build_world() -> dict:
    resident = make_user("Rita Resident")
    admin = make_user("Ada Administrator", role=Role.ADMIN)
    world = make_world()
    comment = make_comment(world["idea"], author=resident)
    organisation = Organisation(name="Medvik idrettslag", kind=OrganisationKind.VOLUNTARY)
    organisation.memberships.append(Membership(user=resident, role=MembershipRole.ADMIN))
    db.session.add(organisation)
    db.session.commit()
    report_content(admin, "comment", comment.id, "spam")
    return {"resident": resident, "admin": admin}


@pytest.mark.parametrize("role", ["anonymous", "resident", "admin"])
def test_no_input_gives_a_server_error_or_a_write_on_error(app, role):
    world = build_world()
    client = app.test_client()
    if role != "anonymous":
        login(client, world[role])
    all_routes = routes(app)
    query_names = query_arg_names()
    sql = snapshot_sql()
    errors = ErrorLog()
    logging.getLogger().addHandler(errors)
    failures: dict[tuple, str] = {}
    sent = 0
    started = time.monotonic()

    def record(route: Route, problem: str, url: str, body, detail: str = "") -> None:
        key = (str(route), problem.split(":")[0])
        if key not in failures:
            shown = (body or b"")[:160]
            failures[key] = f"{route} as {role}: {problem} {detail}\n    {url[:200]!r} body={shown!r}"

    def fuzzer(route: Route):
        @settings(max_examples=EXAMPLES, derandomize=True, deadline=None, database=None,
                  phases=(Phase.explicit, Phase.generate), suppress_health_check=list(HealthCheck))
        @given(request=requests_for(route, query_names))
        def fuzz(request):
            nonlocal sent
            url, body, content_type = request
            before = snapshot(sql)
            errors.last = None
            response = client.open(url, method=route.method, data=body, content_type=content_type)
            sent += 1
            status = response.status_code
            if status >= 500:
                record(route, f"{status}", url, body, errors.last or "")
                return
            if route.is_api and status >= 400:
                payload = response.get_json(silent=True)
                error = payload.get("error") if isinstance(payload, dict) else None
                if not (isinstance(error, dict) and {"code", "message", "fields"} <= set(error)
                        and isinstance(error["fields"], dict)):
                    record(route, f"shape {status}", url, body, response.get_data(as_text=True)[:120])
            if status >= 400 and snapshot(sql) != before:
                record(route, f"wrote on {status}", url, body)

        return fuzz

    try:
        for route in all_routes:
            fuzzer(route)()
    finally:
        logging.getLogger().removeHandler(errors)
    seconds = time.monotonic() - started
    print(f"\nfuzz[{role}]: {sent} requests over {len(all_routes)} route methods in {seconds:.0f} s; "
          f"{len(failures)} distinct failures")
    assert not failures, "\n".join(failures.values())
