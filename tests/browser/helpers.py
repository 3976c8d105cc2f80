"""What the browser tests share: the live site, routes that may not exist yet, axe, and checks
of what axe cannot see (headings, visible labels, error links, focus, reflow, colour).
"""

import itertools
import re
import threading
from contextlib import closing, contextmanager
from pathlib import Path
from typing import Any

import pytest
from flask import Flask, url_for
from playwright.sync_api import Page, expect

ROOT = Path(__file__).resolve().parents[2]
AXE_STATIC = ROOT / "static" / "vendor" / "axe" / "axe.min.js"
AXE_NPM = ROOT / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = ROOT / "artifacts"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# axe's best-practice rules on landmarks, headings and the skip link: a screen-reader user moves
# through a page by them, so they are held to zero as well.
AXE_EXTRA_RULES = [
    "landmark-one-main", "landmark-unique", "landmark-no-duplicate-banner",
    "landmark-no-duplicate-contentinfo", "landmark-no-duplicate-main",
    "landmark-banner-is-top-level", "landmark-contentinfo-is-top-level",
    "landmark-main-is-top-level", "page-has-heading-one", "heading-order", "empty-heading",
    "empty-table-header", "region", "skip-link",
]
LANGS = ("nb", "en")
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 812}

_counter = itertools.count(1)


# --- the site ---------------------------------------------------------------------------


class SmtpSink:
    """A real local SMTP server (aiosmtpd) that keeps what it receives."""

    def __init__(self, port: int):
        from aiosmtpd.controller import Controller

        self.messages: list = []
        self.lock = threading.Lock()
        self.port = port
        self.controller = Controller(self, hostname="127.0.0.1", port=port)

    async def handle_DATA(self, server, session, envelope):
        from email import message_from_bytes, policy

        with self.lock:
            self.messages.append(message_from_bytes(envelope.content, policy=policy.default))
        return "250 Message accepted for delivery"

    def bodies_to(self, address: str) -> list[str]:
        """The text of every mail to the address (the plain part of a multipart mail)."""
        with self.lock:
            return [m.get_body(preferencelist=("plain",)).get_content()
                    for m in self.messages if address.lower() in m["To"].lower()]

    def link_to(self, address: str, pattern: str) -> str:
        for body in reversed(self.bodies_to(address)):
            match = re.search(pattern, body)
            if match:
                return match.group(0)
        raise AssertionError(f"no link matching {pattern!r} in mail to {address}")


class Site:
    """The app served on a local port, with the helpers tests use to find their way in it."""

    def __init__(self, app: Flask, url: str, smtp: SmtpSink):
        self.app = app
        self.url = url
        self.smtp = smtp
        self.server_errors: list[str] = []
        self.login_states: dict[str, Any] = {}

    @contextmanager
    def context(self):
        from app.extensions import db

        with self.app.app_context():
            try:
                yield db.session
            finally:
                db.session.remove()

    # Routes land over time: a test names the endpoints it needs and skips while one is missing.
    def has(self, endpoint: str) -> bool:
        return endpoint in self.app.view_functions

    def endpoint(self, *candidates: str) -> str:
        """The first of the candidate endpoints that exists; skip the test when none does."""
        for name in candidates:
            if self.has(name):
                return name
        pytest.skip(f"missing endpoint {' / '.join(candidates)} (not built yet)")

    def require(self, *endpoints: str) -> None:
        missing = [e for e in endpoints if not self.has(e)]
        if missing:
            pytest.skip(f"missing endpoint(s) {', '.join(missing)} (not built yet)")

    def path(self, endpoint: str, *args, **values) -> str:
        """url_for, where a single positional argument fills the rule's one variable."""
        if args:
            rule = next(r for r in self.app.url_map.iter_rules() if r.endpoint == endpoint)
            names = [a for a in rule.arguments if a not in values]
            values.update(dict(zip(names, args, strict=False)))
        # On the served address: the app trusts only SITE_URL's host, not the default "localhost".
        with self.app.test_request_context(base_url=self.url):
            return url_for(endpoint, **values)

    def user_email(self, role: str, n: int = 0) -> str:
        """The n-th demo person with the role who can take part (confirmed, not blocked) and
        whose work covers the whole municipality (the demo limits some staff to one area)."""
        from sqlalchemy import select

        from app.accounts.models import Role, User
        from app.accounts.permissions import can_participate

        with self.context() as session:
            users = session.scalars(select(User).where(User.role == Role(role)).order_by(User.id)).all()
            able = [u.email for u in users
                    if can_participate(u) and not u.email.startswith("browser-") and not u.areas]
        if len(able) <= n:
            pytest.fail(f"the demo data has fewer than {n + 1} {role} who can take part")
        return able[n]

    def new_resident(self, name: str = "Test Testesen", role: str = "resident") -> str:
        """A fresh confirmed person (demo password), so a journey never depends on earlier ones."""
        from app.accounts import services
        from app.accounts.models import Role
        from app.demo import DEMO_PASSWORD

        email = f"browser-{next(_counter)}-{role}@example.no"
        with self.context(), pytest.MonkeyPatch.context() as patch:
            patch.setattr(services, "generate_password_hash", fast_password_hash)
            services.create_user(email, name, DEMO_PASSWORD, Role(role), confirmed=True)
        return email

    # --- words and content ---------------------------------------------------------------

    def t(self, lang: str, msgid: str, **values) -> str:
        """What the page says for a message id in a language (the catalogue's translation)."""
        from flask_babel import force_locale, gettext

        with self.app.test_request_context(), force_locale(lang):
            return gettext(msgid, **values)

    @contextmanager
    def acting(self):
        """An app and request context in which services may build links and send mail."""
        from app.extensions import db

        with self.app.test_request_context(base_url=self.url):
            try:
                yield db.session
            finally:
                db.session.remove()

    def user(self, session, email: str):
        from sqlalchemy import select

        from app.accounts.models import User

        return session.scalar(select(User).where(User.email == email))

    def make_idea(self, author_email: str, title: str, body: str | None = None) -> int:
        """An idea published through the ideas service, by the given person."""
        from sqlalchemy import select

        from app.core.models import ServiceArea
        from app.ideas import services

        with self.acting() as session:
            area = session.scalar(select(ServiceArea.id).where(ServiceArea.retired_at.is_(None)).order_by(ServiceArea.id))
            idea = services.submit_idea(
                self.user(session, author_email),
                services.IdeaInput(
                    title=title,
                    body=body or f"{title}. Dette er en idé skrevet av nettlesertestene, med nok tekst.",
                    service_area_id=area, sdgs=[11],
                ),
            )
            return idea.id

    def make_comment(self, author_email: str, idea_id: int, text: str) -> int:
        from app.comments import services
        from app.ideas.models import Idea

        with self.acting() as session:
            comment = services.post_comment(self.user(session, author_email), session.get(Idea, idea_id), text)
            return comment.id

    def report(self, reporter_email: str, kind: str, target_id: int, reason: str = "offensive") -> None:
        from app.moderation import services
        from app.moderation.models import TargetType

        with self.acting() as session:
            services.report_content(self.user(session, reporter_email), TargetType(kind), target_id, reason, "")


    def add_examples(self, picture: Path) -> None:
        """States the page table needs that the demo data may lack: an idea with a picture,
        and an idea a moderator has hidden (its placeholder, its author's view, the appeal)."""
        from sqlalchemy import select

        from app.core.models import ServiceArea
        from app.ideas import images
        from app.ideas import services as ideas
        from app.moderation import services as moderation

        author = self.user_email("resident", 7)
        hidden_author = self.user_email("resident", 8)
        moderator = self.user_email("moderator")
        with self.acting() as session:
            area = session.scalar(
                select(ServiceArea.id).where(ServiceArea.retired_at.is_(None))
                .order_by(ServiceArea.name != "Plan og byggesak", ServiceArea.id)
            )
            stored = images.store_image(picture.read_bytes(), field="image_1")
            ideas.submit_idea(self.user(session, author), ideas.IdeaInput(
                title="Blomsterkasser langs brygga i Havna",
                body="Brygga er grå og trist om sommeren. Blomsterkasser ville gjort den til et sted å stoppe opp.",
                service_area_id=area, sdgs=[11, 15],
                images=[ideas.ImageInput(image=stored, alt_text="Den grå brygga i Havna en sommerdag")],
            ))
            hidden = ideas.submit_idea(self.user(session, hidden_author), ideas.IdeaInput(
                title="Selg rådhuset og flytt kommunen på nett",
                body="Vi trenger ikke noe rådhus. Alt kan skje på nett, og pengene kan brukes på noe annet.",
                service_area_id=area,
            ))
            moderation.moderate_item(
                self.user(session, moderator), "idea", hidden.id, "hide", "off_topic",
                "Skriv gjerne om digitale tjenester, men hold deg til saken.",
            )


def fast_password_hash(password: str) -> str:
    """scrypt is slow on purpose; test people need not be. Logins check either kind."""
    from werkzeug.security import generate_password_hash

    return generate_password_hash(password, method="pbkdf2:sha256:1000")


def free_port() -> int:
    import socket

    with closing(socket.socket(socket.AF_INET, socket.SOCK_STREAM)) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def with_lang(path: str, lang: str | None) -> str:
    if not lang:
        return path
    base, _sep, fragment = path.partition("#")
    joined = base + ("&" if "?" in base else "?") + f"lang={lang}"
    return joined + (f"#{fragment}" if fragment else "")


def login(page: Page, email: str, password: str | None = None, lang: str = "nb") -> None:
    """Log in through the login form, as a person does."""
    from app.demo import DEMO_PASSWORD

    page.goto(with_lang("/login", lang))
    names = {"nb": ("E-postadresse", "Passord", "Logg inn"), "en": ("Email address", "Password", "Log in")}
    email_label, password_label, button = names.get(lang, names["nb"])
    page.get_by_label(re.compile(f"^{email_label}", re.I)).fill(email)
    page.get_by_label(re.compile(f"^{password_label}", re.I)).fill(password or DEMO_PASSWORD)
    page.get_by_role("main").get_by_role("button", name=button).click()
    expect(page).not_to_have_url(re.compile(r"/login"))


def page_problems(context, document_url: str | None = None) -> list[str]:
    """Console errors and CSP violations of the site's own pages (axe's own are left out).

    `document_url`: the page on screen, which may rightly answer with an error status (a 404
    page, a form sent back with 422); the browser's note that it did is not a problem.
    """
    out = []
    for kind, text, url in context.console_messages:
        if url.endswith("/static/vendor/axe/axe.min.js"):
            continue
        if document_url and url == document_url and text.startswith("Failed to load resource"):
            continue
        if kind == "error" or "Content Security Policy" in text:
            out.append(f"{text} [{url}]" if url else text)
    return out


# --- axe ------------------------------------------------------------------------------------


def axe_source_path() -> Path:
    for path in (AXE_STATIC, AXE_NPM):
        if path.exists():
            return path
    pytest.fail("axe-core is missing: run `make vendor` (copies node_modules/axe-core to static/vendor/axe)")


def open_all_details(page: Page) -> None:
    """Open every <details> (filters, reply forms, more pictures): their controls count too."""
    page.evaluate(
        """async () => {
            document.querySelectorAll('details:not([open])').forEach(d => { d.open = true; });
            // Let the opening (and any transition of its content) render before looking.
            await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
            await Promise.all(document.getAnimations().map(a => a.finished.catch(() => null)));
        }"""
    )


def run_axe(page: Page) -> list[dict]:
    """axe-core's WCAG 2.0/2.1 A and AA rules (and AXE_EXTRA_RULES) on the page; the violations.

    The script is loaded from the site itself (/static/vendor/axe/axe.min.js), so the page's
    Content-Security-Policy (script-src 'self') stays on while axe runs.
    """
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        if AXE_STATIC.exists():
            page.add_script_tag(url="/static/vendor/axe/axe.min.js")
        else:
            page.evaluate(axe_source_path().read_text(encoding="utf-8"))
    return page.evaluate(
        """async ([tags, extra]) => {
            const result = await axe.run(document, {
                runOnly: {type: 'tag', values: tags}, resultTypes: ['violations'],
                rules: Object.fromEntries(extra.map(id => [id, {enabled: true}])),
            });
            return result.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
                nodes: v.nodes.map(n => ({
                    target: n.target.join(' '), html: n.html.slice(0, 300),
                    summary: n.failureSummary,
                })),
            }));
        }""",
        [AXE_TAGS, AXE_EXTRA_RULES],
    )


def format_violations(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"[{v['impact']}] {v['id']}: {v['help']} ({v['helpUrl']})")
        for node in v["nodes"][:10]:
            lines.append(f"    at {node['target']}")
            lines.append(f"       {node['html']}")
            if node.get("summary"):
                lines.append("       " + node["summary"].replace("\n", "\n       "))
        if len(v["nodes"]) > 10:
            lines.append(f"    … and {len(v['nodes']) - 10} more")
    return "\n".join(lines)


# --- what axe cannot see ------------------------------------------------------------------

# Each returns a list of problems (strings); empty means fine.

# A JS function body prefix: visible(el) is true when a sighted person can see the element.
_VISIBLE_JS = """
const visible = (el) => {
    if (!el) return false;
    // Inside a closed <details> or otherwise not rendered: not seen.
    if (el.checkVisibility && !el.checkVisibility({contentVisibilityAuto: true})) return false;
    const style = getComputedStyle(el);
    if (style.visibility === 'hidden' || style.display === 'none' || parseFloat(style.opacity) === 0) return false;
    const rect = el.getBoundingClientRect();
    if (rect.width <= 1 || rect.height <= 1) return false;
    if (style.clip && style.clip.startsWith('rect(0')) return false;
    if (style.clipPath && style.clipPath.startsWith('inset(50%')) return false;
    for (let p = el; p; p = p.parentElement) {
        const s = getComputedStyle(p);
        if (s.display === 'none' || s.visibility === 'hidden') return false;
        if (p.hasAttribute('hidden')) return false;
    }
    return true;
};
"""


def heading_problems(page: Page) -> list[str]:
    """Exactly one <h1>, and no level skipped on the way down (h2 → h4)."""
    headings = page.evaluate(
        """() => {
            const out = [];
            for (const h of document.querySelectorAll('h1, h2, h3, h4, h5, h6, [role=heading]')) {
                if (h.closest('[hidden], [aria-hidden=true]')) continue;
                if (getComputedStyle(h).display === 'none') continue;
                const level = h.getAttribute('aria-level') || h.tagName.substring(1);
                out.push([parseInt(level, 10), (h.innerText || h.textContent).trim().slice(0, 60)]);
            }
            return out;
        }"""
    )
    problems = []
    h1 = [text for level, text in headings if level == 1]
    if len(h1) != 1:
        problems.append(f"expected exactly one <h1>, found {len(h1)}: {h1}")
    previous = 0
    for level, text in headings:
        if level > previous + 1 and previous != 0:
            problems.append(f"heading level skipped: h{previous} → h{level} ({text!r})")
        if previous == 0 and level != 1:
            problems.append(f"the first heading is h{level}, not h1 ({text!r})")
        previous = level
    for level, text in headings:
        if not text:
            problems.append(f"an empty h{level}")
    return problems


def label_problems(page: Page) -> list[str]:
    """Every visible form control has a visible label (a <label>, or aria-labelledby to visible text).

    Buttons name themselves; a radio or checkbox needs its own label too.
    """
    return page.evaluate(
        "() => {"
        + _VISIBLE_JS
        + """
            const problems = [];
            const skip = new Set(['hidden', 'submit', 'button', 'reset', 'image']);
            for (const el of document.querySelectorAll('input, select, textarea')) {
                if (skip.has((el.getAttribute('type') || '').toLowerCase())) continue;
                const isFile = el.type === 'file';
                if (!visible(el) && !isFile) continue;
                if (isFile && el.closest('[hidden]')) continue;
                let labels = Array.from(el.labels || []);
                const by = el.getAttribute('aria-labelledby');
                if (by) labels = labels.concat(by.split(/\\s+/).map(id => document.getElementById(id)).filter(Boolean));
                const shown = labels.filter(l => visible(l) && (l.textContent || '').trim());
                // WCAG technique G167: the one text field of a form is labelled by the visible
                // button next to it ("Search", "Rename"), as long as it has an accessible label too.
                const form = el.form;
                if (!shown.length && form && labels.length && !['checkbox', 'radio'].includes(el.type)) {
                    const fields = Array.from(form.elements).filter(f => f.matches('input, select, textarea')
                        && !skip.has((f.getAttribute('type') || '').toLowerCase()) && visible(f));
                    const buttons = Array.from(form.querySelectorAll('button, input[type=submit]'))
                        .filter(b => visible(b) && (b.innerText || b.value || '').trim());
                    if (fields.length === 1 && buttons.length >= 1) continue;
                }
                if (!shown.length) {
                    problems.push(`control without a visible label: <${el.tagName.toLowerCase()} name="${el.name}" id="${el.id}" type="${el.type}">`);
                }
            }
            return problems;
        }"""
    )


def error_link_problems(page: Page) -> list[str]:
    """Invalid controls point at their message with aria-describedby; messages belong to a control;
    the error summary links to fields that exist.
    """
    return page.evaluate(
        """() => {
            const problems = [];
            const described = new Set();
            for (const el of document.querySelectorAll('[aria-describedby]')) {
                for (const id of el.getAttribute('aria-describedby').split(/\\s+/)) {
                    if (!id) continue;
                    if (!document.getElementById(id)) problems.push(`aria-describedby="${id}" on #${el.id} points at nothing`);
                    described.add(id);
                }
            }
            for (const el of document.querySelectorAll('[aria-invalid=true]')) {
                const ids = (el.getAttribute('aria-describedby') || '').split(/\\s+/).filter(Boolean);
                const msgs = ids.map(id => document.getElementById(id)).filter(m => m && m.matches('.ds-validation-message, [data-field=validation]'));
                const group = el.closest('fieldset[aria-describedby]');
                if (!msgs.length && !group) problems.push(`#${el.id} is invalid but not described by its error message`);
            }
            for (const msg of document.querySelectorAll('.ds-validation-message')) {
                if (!msg.id || !described.has(msg.id)) problems.push(`error message "${msg.innerText.trim().slice(0, 60)}" is not tied to a field (aria-describedby)`);
            }
            for (const link of document.querySelectorAll('.ds-error-summary a[href^="#"]')) {
                const id = decodeURIComponent(link.getAttribute('href').slice(1));
                if (!document.getElementById(id)) problems.push(`error summary links to #${id}, which does not exist`);
            }
            return problems;
        }"""
    )


BADGE_SELECTOR = ".sdg-badge, .ds-tag, .ds-badge, [class*='status-badge'], [class*='badge']"


def badge_problems(page: Page) -> list[str]:
    """Colour never the only sign: status badges carry text, SDG badges their number and name."""
    return page.evaluate(
        "(selector) => {"
        + _VISIBLE_JS
        + """
            const problems = [];
            for (const el of document.querySelectorAll(selector)) {
                if (!visible(el)) continue;
                const text = (el.innerText || '').replace(/\\s+/g, ' ').trim();
                if (el.classList.contains('sdg-badge')) {
                    if (!/\\d/.test(text) || !/[A-Za-zÆØÅæøå]{3}/.test(text.replace(/\\d+/g, ''))) {
                        problems.push(`SDG badge without its number and name as text: "${text}" (${el.outerHTML.slice(0, 120)})`);
                    }
                } else if (!/[A-Za-zÆØÅæøå0-9]/.test(text) && !(el.getAttribute('aria-hidden') === 'true')) {
                    problems.push(`badge without text: ${el.outerHTML.slice(0, 160)}`);
                }
            }
            return problems;
        }""",
        BADGE_SELECTOR,
    )


def overflow_problems(page: Page) -> list[str]:
    """No horizontal scroll: the page fits the viewport (tables may scroll in their own box)."""
    return page.evaluate(
        """() => {
            const doc = document.documentElement;
            const width = doc.clientWidth;
            if (doc.scrollWidth <= width) return [];
            const culprits = [];
            for (const el of document.body.querySelectorAll('*')) {
                const rect = el.getBoundingClientRect();
                if (rect.right > width + 1 && rect.width > 0) {
                    let scroller = false;
                    for (let p = el.parentElement; p; p = p.parentElement) {
                        const o = getComputedStyle(p).overflowX;
                        if (o === 'auto' || o === 'scroll' || o === 'hidden') { scroller = true; break; }
                    }
                    if (!scroller) culprits.push(`${el.tagName.toLowerCase()}${el.getAttribute('id') ? '#' + el.getAttribute('id') : ''}${el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\\s+/).join('.') : ''} (right edge ${Math.round(rect.right)}px)`);
                }
                if (culprits.length >= 8) break;
            }
            return [`page is ${doc.scrollWidth}px wide in a ${width}px viewport (horizontal scroll): ` + culprits.join(', ')];
        }"""
    )


def clipped_text_problems(page: Page) -> list[str]:
    """Text cut off: an element that hides overflow but whose text does not fit."""
    return page.evaluate(
        "() => {"
        + _VISIBLE_JS
        + """
            const problems = [];
            for (const el of document.body.querySelectorAll('*')) {
                const style = getComputedStyle(el);
                if (!(style.overflowX === 'hidden' || style.overflowY === 'hidden' || style.textOverflow === 'ellipsis')) continue;
                if (!visible(el)) continue;
                if (el.matches('.ds-sr-only, .ds-skip-link')) continue;
                if (!(el.innerText || '').trim()) continue;
                if (el.scrollWidth > el.clientWidth + 2 || el.scrollHeight > el.clientHeight + 2) {
                    problems.push(`text cut off in ${el.tagName.toLowerCase()}.${String(el.className).trim().split(/\\s+/).join('.')}: "${el.innerText.trim().slice(0, 60)}"`);
                }
            }
            return problems;
        }"""
    )


def focus_state(page: Page) -> dict:
    """What has focus, and whether the focus is drawn (outline or box-shadow)."""
    return page.evaluate(
        """() => {
            const el = document.activeElement;
            if (!el || el === document.body || el === document.documentElement) return {lost: true};
            const style = getComputedStyle(el);
            const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
            const shadow = style.boxShadow && style.boxShadow !== 'none';
            return {
                lost: false,
                visible: outline || shadow,
                tag: el.tagName.toLowerCase(),
                name: (el.getAttribute('aria-label') || el.innerText || el.value || el.name || el.id || '').trim().slice(0, 60),
                id: el.id, type: el.type || '',
                html: el.outerHTML.slice(0, 160),
                index: Array.prototype.indexOf.call(document.getElementsByTagName('*'), el),
            };
        }"""
    )


def assert_focus_visible(page: Page, after: str = "") -> dict:
    state = focus_state(page)
    assert not state["lost"], f"focus was lost (document.activeElement is <body>) after {after}"
    assert state["visible"], f"focused element has no visible focus indicator after {after}: {state['html']}"
    return state


def tab_to(page: Page, predicate, limit: int = 80, backwards: bool = False) -> dict:
    """Press Tab (or Shift+Tab) until the focused element satisfies predicate(state).

    Each stop must show its focus; reaching the limit means the target is unreachable or focus
    is trapped somewhere on the way.
    """
    key = "Shift+Tab" if backwards else "Tab"
    seen = []
    # A person tabs through a page that has finished loading: its style sheets draw the focus.
    page.wait_for_load_state("load")
    for _ in range(limit):
        page.keyboard.press(key)
        state = assert_focus_visible(page, after=key)
        seen.append(state["html"][:80])
        if predicate(state):
            return state
    raise AssertionError(f"never reached the target with {key}; focus went through:\n  " + "\n  ".join(seen[-15:]))


def focused_is(name_pattern: str):
    rx = re.compile(name_pattern, re.I)

    def check(state: dict) -> bool:
        return bool(rx.search(state.get("name") or "")) or bool(rx.search(state.get("html") or ""))

    return check


def focused_label_is(page: Page, label_pattern: str) -> bool:
    rx = re.compile(label_pattern, re.I)
    text = page.evaluate(
        """() => { const el = document.activeElement; if (!el || !el.labels) return '';
                   return Array.from(el.labels).map(l => l.innerText).join(' '); }"""
    )
    # The required-field mark (" *") is decoration, not part of the label's words.
    return bool(rx.search(re.sub(r"\s*\*\s*$", "", (text or "").strip())))


def tab_to_field(page: Page, label_pattern: str, limit: int = 80, backwards: bool = False) -> None:
    key = "Shift+Tab" if backwards else "Tab"
    page.wait_for_load_state("load")
    for _ in range(limit):
        page.keyboard.press(key)
        assert_focus_visible(page, after=key)
        if focused_label_is(page, label_pattern):
            return
    raise AssertionError(f"no field labelled {label_pattern!r} reachable with {key}")


def make_png(path: Path, colour=(30, 120, 90), size=(320, 200)) -> Path:
    from PIL import Image, ImageDraw

    image = Image.new("RGB", size, colour)
    draw = ImageDraw.Draw(image)
    draw.rectangle((40, 40, size[0] - 40, size[1] - 40), outline=(255, 255, 255), width=6)
    image.save(path, "PNG")
    return path
