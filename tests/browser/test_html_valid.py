"""Every page type of the page table through the Nu HTML Checker (vnu.jar, the W3C validator,
installed from npm by `make vendor`; Java 11 or later runs it): any markup error fails the build,
naming the page, the line and the checker's message. Warnings and notes do not fail it.

The pages are fetched from the live server as the server sends them, in bokmål and English, each
as its person in the table, a few at a time, and checked in one run of the checker (its start-up
is most of its cost). A page the table sends empty first (`send_form_empty`) is posted the way
Chromium posts it: the page's largest POST form in <main>, text fields cleared, the rest as the
page set it; the answer after any redirect is what is checked.
"""

import json
import os
import re
import shutil
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor
from html.parser import HTMLParser
from urllib.parse import urljoin

import pytest
import requests

from tests.browser.helpers import ROOT, with_lang
from tests.browser.pages import PAGES, email_of, resolve, send_form_empty, swagger_rendered

VNU_JAR = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
HTML_LANGS = ("nb", "en")
# Messages of these types are markup errors; "info" (and its "warning" subtype) are not.
ERROR_TYPES = {"error", "non-document-error"}
# Preparations that only wait for scripts: the server's page is the one to check.
WAITS_ONLY = {swagger_rendered}
TEXT_TYPES = {"text", "email", "password", "search", "url", "number", "tel"}
NOT_SENT = {"submit", "button", "image", "reset"}


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


@pytest.fixture(scope="session")
def vnu_command() -> list[str]:
    if not VNU_JAR.exists():
        pytest.fail(f"the Nu HTML Checker is missing ({VNU_JAR.relative_to(ROOT)}): run `make vendor` (npm ci).")
    java = shutil.which("java")
    if java is None:
        message = "java is not installed: the Nu HTML Checker needs Java 11 or later (apt-get install -y default-jre-headless)."
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(message + " REQUIRE_BROWSER=1 forbids skipping.")
        pytest.skip(message)
    # One short JVM run: the client compiler and the serial collector start fastest; -Xss for
    # deep documents (the checker's own advice); no language guessing (it only ever warns).
    return [java, "-Xss16m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-jar", str(VNU_JAR),
            "--format", "json", "--stdout", "--exit-zero-always", "--no-langdetect"]


# --- a form as Chromium would send it ---------------------------------------------------------


class _Forms(HTMLParser):
    """The POST forms inside <main> with their controls, as the parser meets them."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[dict] = []
        self._main = 0
        self._form = None
        self._text = None  # (control, kind) while inside a textarea or an option

    def handle_starttag(self, tag, attrs):
        a = {k: (v if v is not None else "") for k, v in attrs}
        if tag == "main":
            self._main += 1
        elif tag == "form" and self._main:
            self._form = {"method": a.get("method", "get").lower(), "action": a.get("action"),
                          "enctype": a.get("enctype", ""), "controls": [], "elements": 0}
            self.forms.append(self._form)
        elif self._form is not None:
            if tag in ("input", "select", "textarea", "button", "fieldset", "output", "object"):
                self._form["elements"] += 1
            if tag == "input":
                self._form["controls"].append({"tag": tag, **a})
            elif tag == "textarea":
                control = {"tag": tag, "value": "", **a}
                self._form["controls"].append(control)
                self._text = (control, "value")
            elif tag == "select":
                self._form["controls"].append({"tag": tag, "options": [], **a})
            elif tag == "option" and self._form["controls"] and self._form["controls"][-1]["tag"] == "select":
                option = {"text": "", **a}
                self._form["controls"][-1]["options"].append(option)
                self._text = (option, "text")

    def handle_endtag(self, tag):
        if tag == "main":
            self._main -= 1
        elif tag == "form":
            self._form = None
        elif tag in ("textarea", "option"):
            self._text = None

    def handle_data(self, data):
        if self._text is not None:
            control, key = self._text
            control[key] += data


def _form_data(form: dict, clear_text: bool) -> tuple[list, list]:
    """(fields, files) of the form's successful controls, text fields cleared if asked."""
    fields, files = [], []
    for c in form["controls"]:
        name = c.get("name")
        if not name or "disabled" in c:
            continue
        if c["tag"] == "input":
            kind = c.get("type", "text").lower()
            if kind in NOT_SENT:
                continue
            if kind in ("checkbox", "radio"):
                if "checked" in c:
                    fields.append((name, c.get("value", "on")))
            elif kind == "file":
                files.append((name, ("", b"", "application/octet-stream")))
            else:
                fields.append((name, "" if clear_text and kind in TEXT_TYPES else c.get("value", "")))
        elif c["tag"] == "textarea":
            fields.append((name, "" if clear_text else c["value"].removeprefix("\n")))
        elif c["tag"] == "select":
            options = [o for o in c["options"] if "disabled" not in o]
            chosen = [o for o in options if "selected" in o]
            if not chosen and "multiple" not in c and options:
                chosen = options[:1]
            for option in chosen:
                fields.append((name, option.get("value", " ".join(option["text"].split()))))
    return fields, files


def _send_form_empty(session: requests.Session, response: requests.Response) -> requests.Response:
    """What tests.browser.pages.send_form_empty does in Chromium, over HTTP."""
    parser = _Forms()
    parser.feed(response.text)
    forms = [f for f in parser.forms if f["method"] == "post"]
    if not forms:
        raise AssertionError(f"no POST form in <main> at {response.url}")
    form = max(forms, key=lambda f: f["elements"])
    fields, files = _form_data(form, clear_text=True)
    action = urljoin(response.url, form["action"]) if form["action"] else response.url
    if form["enctype"] == "multipart/form-data":
        return session.post(action, data=fields, files=files or None, timeout=60)
    return session.post(action, data=fields, timeout=60)


def _signed_in(site, email: str) -> dict[str, str]:
    """Cookies of a signed-in session: the suite's own if a test made one, else the login form."""
    state = site.login_states.get(email)
    if state is not None:
        return {c["name"]: c["value"] for c in state["cookies"]}
    from app.demo import DEMO_PASSWORD

    session = requests.Session()
    page = session.get(site.url + "/login?lang=nb", timeout=60)
    form = max(_parsed(page.text), key=lambda f: f["elements"])
    fields = [(k, v) for k, v in _form_data(form, clear_text=False)[0] if k not in ("email", "password")]
    answer = session.post(site.url + "/login", data=[*fields, ("email", email), ("password", DEMO_PASSWORD)],
                          allow_redirects=False, timeout=60)
    assert answer.status_code in (302, 303), f"could not sign in as {email}: {answer.status_code}"
    return session.cookies.get_dict()


def _parsed(html: str) -> list[dict]:
    parser = _Forms()
    parser.feed(html)
    return [f for f in parser.forms if f["method"] == "post"]


# --- the test ---------------------------------------------------------------------------------


def test_every_page_is_valid_html(site, new_context, vnu_command, tmp_path):
    started = time.monotonic()
    jobs, skipped, cookies = [], [], {}
    for spec in PAGES:
        try:
            path = resolve(site, spec)
        except pytest.skip.Exception as skip:
            skipped.append(f"{spec.name}: {skip}")
            continue
        email = email_of(site, spec.who)
        if email is not None and email not in cookies:
            cookies[email] = _signed_in(site, email)
        jobs.extend((spec, lang, path, email) for lang in HTML_LANGS)
    resolved_at = time.monotonic()

    def fetch(job):
        spec, lang, path, email = job
        session = requests.Session()
        session.cookies.update(cookies.get(email, {}))
        response = session.get(site.url + with_lang(path, lang), timeout=60)
        if spec.prepare is send_form_empty:
            response = _send_form_empty(session, response)
        return response.status_code, response.headers.get("Content-Type", ""), response.text

    browser_jobs = [job for job in jobs if job[0].prepare not in (None, send_form_empty, *WAITS_ONLY)]
    http_jobs = [job for job in jobs if job not in browser_jobs]
    with ThreadPoolExecutor(max_workers=4) as pool:
        fetched = dict(zip(map(id, http_jobs), pool.map(fetch, http_jobs), strict=True))
    # A preparation this file does not know is run in Chromium (from this thread only).
    for job in browser_jobs:
        fetched[id(job)] = _prepared_in_chromium(new_context, *job)
    fetched_at = time.monotonic()

    problems, files = [], {}
    for n, job in enumerate(jobs):
        spec, lang, path, _email = job
        status, content_type, body = fetched[id(job)]
        if spec.prepare is None and status != spec.status:
            problems.append(f"{spec.name} ({path}, {lang}): answered {status}, expected {spec.status}")
        if not content_type.startswith("text/html"):
            problems.append(f"{spec.name} ({path}, {lang}): not HTML ({content_type})")
            continue
        file = tmp_path / f"{n:03d}-{_slug(spec.name)}-{lang}.html"
        file.write_text(body, encoding="utf-8")
        files[file.name] = (spec.name, path, lang)

    result = subprocess.run(
        [*vnu_command, *[str(tmp_path / name) for name in files]],
        capture_output=True, text=True, timeout=600, check=False,
    )
    try:
        messages = json.loads(result.stdout)["messages"]
    except (ValueError, KeyError):
        pytest.fail(f"the Nu HTML Checker gave no JSON (exit {result.returncode}):\n{result.stdout[:2000]}\n{result.stderr[:2000]}")
    for message in messages:
        if message.get("type") not in ERROR_TYPES:
            continue
        url = message.get("url", "")
        name, path, lang = files.get(url.rsplit("/", 1)[-1], ("?", url, "?"))
        where = f"line {message['lastLine']}" if "lastLine" in message else "document"
        extract = (message.get("extract") or "").replace("\n", " ")
        problems.append(f"{name} ({path}, {lang}), {where}: {message['message']}\n      {extract}")

    print(
        f"\nvalidated {len(files)} documents of {len(jobs) // len(HTML_LANGS)} page types × {len(HTML_LANGS)} "
        f"languages: finding them and signing in {resolved_at - started:.1f} s, fetching "
        f"{fetched_at - resolved_at:.1f} s, checker {time.monotonic() - fetched_at:.1f} s"
        + ("".join(f"\n  skipped: {s}" for s in skipped))
    )
    assert len(files) >= 100, f"only {len(files)} documents validated; the page table has {len(PAGES)} rows"
    assert not problems, f"{len(problems)} HTML errors (Nu HTML Checker):\n" + "\n".join(problems)


def _prepared_in_chromium(new_context, spec, lang: str, path: str, email: str | None) -> tuple[int, str, str]:
    """Open the page in Chromium, run the spec's preparation, keep the last document it loaded."""
    page = new_context(user=email, lang=lang).new_page()
    documents = []

    def keep(response):
        if response.request.resource_type == "document" and response.frame == page.main_frame \
                and not 300 <= response.status < 400:
            documents.append(response)

    page.on("response", keep)
    page.goto(with_lang(path, lang))
    spec.prepare(page)
    page.wait_for_load_state()
    last = documents[-1]
    return last.status, last.headers.get("content-type", ""), last.text()


def test_an_empty_form_is_sent_as_chromium_sends_it():
    """The HTTP stand-in for send_form_empty: largest POST form in <main>, text cleared, the
    choices as the page made them (checked boxes, selected or first options), no buttons."""
    html = """<form method="post" action="/elsewhere"><input name="q"></form>
    <main><form method="get"><input name="x"><input name="y"><input name="z"></form>
    <form method="post" action="/a"><input name="one" value="1"></form>
    <form method="post" enctype="multipart/form-data">
      <input type="hidden" name="csrf_token" value="t"><input name="title" value="Kept?">
      <textarea name="body">
Typed</textarea><input type="checkbox" name="c1" value="yes" checked><input type="checkbox" name="c2">
      <input type="radio" name="r" value="a"><input type="radio" name="r" value="b" checked>
      <select name="s1"><option value="p">P</option><option value="q">Q</option></select>
      <select name="s2"><option>  First   one </option><option selected value="2">Two</option></select>
      <select name="m" multiple><option value="x">X</option></select>
      <input type="file" name="image"><input name="off" value="v" disabled>
      <button type="submit" name="action" value="go">Go</button>
    </form></main>"""
    forms = _parsed(html)
    assert [f["action"] for f in forms] == ["/a", None]
    form = max(forms, key=lambda f: f["elements"])
    fields, files = _form_data(form, clear_text=True)
    assert fields == [("csrf_token", "t"), ("title", ""), ("body", ""), ("c1", "yes"), ("r", "b"),
                      ("s1", "p"), ("s2", "2")]
    assert [name for name, _file in files] == ["image"]
    kept, _ = _form_data(form, clear_text=False)
    assert ("title", "Kept?") in kept and ("body", "Typed") in kept
    assert _form_data(_parsed('<main><form method="post"><select name="s"><option>  A  b </option></select>'
                              "</form></main>")[0], True)[0] == [("s", "A b")]
