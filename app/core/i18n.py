"""Language choice: ?lang= on any address, the switcher's cookie, the profile, Accept-Language."""

from babel.support import NullTranslations
from flask import Flask, current_app, g, has_request_context, request
from flask_babel import Domain, get_domain, get_locale
from flask_babel import _get_current_context as _babel_context  # flask-babel is pinned to 4.0
from flask_login import current_user
from jinja2 import pass_eval_context
from markupsafe import Markup

LOCALES = ("nb", "nn", "en")
LOCALE_NAMES = {"nb": "Bokmål", "nn": "Nynorsk", "en": "English"}
LANG_COOKIE = "lang"
# Seconds the switcher's choice is kept (the privacy page quotes it).
LANG_COOKIE_MAX_AGE = 365 * 24 * 3600


def select_locale() -> str:
    """This request's language.

    The most explicit and most recent choice wins: ?lang= on this very request, then the
    cookie the language switcher set on this device (a click made here, after the profile
    was saved), then the language saved on the profile (a new device, no cookie yet), then
    the browser's Accept-Language. Saving the profile sets the cookie too (its redirect
    carries ?lang=), so the two agree after a change on the profile.
    """
    if not has_request_context():
        # CLI and background work: the municipality's language (force_locale overrides it).
        return current_app.config["DEFAULT_LOCALE"]
    requested = request.args.get("lang")
    if requested in LOCALES:
        g.chosen_locale = requested
        return requested
    cookie = request.cookies.get(LANG_COOKIE)
    if cookie in LOCALES:
        return cookie
    if current_user and current_user.is_authenticated and current_user.locale in LOCALES:
        return current_user.locale
    # Browsers send "no" or "nb-NO" for bokmål; "no" counts as bokmål.
    best = request.accept_languages.best_match([*LOCALES, "no"])
    if best == "no":
        return "nb"
    return best or current_app.config["DEFAULT_LOCALE"]


def current_locale() -> str:
    """The language text is being written in now: the request's, or force_locale's (e-mail).

    A page asks a hundred times (every localised name): the code is kept next to the locale
    object Flask-Babel resolved, so force_locale's own object gets its own.
    """
    babel = _babel_state()
    locale = babel.__dict__.get("babel_locale") if babel is not None else None
    if locale is None:
        code = str(get_locale() or "")
        return code if code in LOCALES else "nb"
    kept = babel.__dict__.get("medvirk_code")
    if kept is not None and kept[0] is locale:
        return kept[1]
    code = str(locale)
    code = code if code in LOCALES else "nb"
    babel.medvirk_code = (locale, code)
    return code


def _babel_state():
    """Flask-Babel's state of this app context (its locale object, once resolved), or None:
    read off `g` directly, as a page asks hundreds of times."""
    try:
        return g._get_current_object().__dict__.get("_flask_babel")
    except RuntimeError:  # no app context
        return None


def localised(obj, field: str, locale: str | None = None) -> str:
    """`obj.<field>_<locale>` in the current language, or the bokmål one when that is empty.

    Staff give names and texts in bokmål (required) and optionally in nynorsk and English;
    every page, notice and API answer reads them through here.
    """
    value = getattr(obj, f"{field}_{locale or current_locale()}", None)
    return value or getattr(obj, f"{field}_nb")


def localised_all(obj, field: str) -> dict[str, str | None]:
    """{nb, nn, en} as staff gave them, for the API: None where none was given (a reader of
    that language gets the bokmål one)."""
    return {locale: getattr(obj, f"{field}_{locale}", None) or None for locale in LOCALES}


def _remember_choice(response):
    # Only the cookie: a GET changes no stored state. The account's language is the
    # profile's to change (a POST), and core knows no domain.
    chosen = g.get("chosen_locale")
    if chosen:
        response.set_cookie(
            LANG_COOKIE, chosen, max_age=LANG_COOKIE_MAX_AGE, samesite="Lax", httponly=True,
            secure=current_app.config["SESSION_COOKIE_SECURE"],
        )
    return response


class RequestDomain(Domain):
    """Flask-Babel's domain, with the catalogue resolved once per request and language.

    Flask-Babel 4 looks the catalogue up anew on every `_()` (the context, the locale, its
    string name, the cache): a list page calls it hundreds of times. Here the catalogue is
    kept on Flask-Babel's own request context next to the locale object it was made for, so
    force_locale (e-mails and exports in another language), refresh() and a locale set later
    in the request each find the right one: a different locale object means a fresh lookup.
    """

    def get_translations(self):
        ctx = _babel_context()
        if ctx is None:
            return NullTranslations()
        locale = getattr(ctx, "babel_locale", None)
        cached = getattr(ctx, "medvirk_translations", None)
        if locale is not None and cached is not None and cached[0] is locale:
            return cached[1]
        translations = super().get_translations()  # resolves and caches ctx.babel_locale
        ctx.medvirk_translations = (ctx.babel_locale, translations)
        return translations


def translations():
    """This request's catalogue (the templates' `_()` call it): the one kept, else the domain's."""
    ctx = _babel_context()
    cached = getattr(ctx, "medvirk_translations", None)
    if cached is not None and cached[0] is getattr(ctx, "babel_locale", None):
        return cached[1]
    return get_domain().get_translations()


def init_app(app: Flask) -> None:
    app.after_request(_remember_choice)
    babel = app.extensions["babel"].instance
    if not isinstance(babel.__dict__.get("domain_instance"), RequestDomain):
        babel.__dict__["domain_instance"] = RequestDomain(domain=app.extensions["babel"].default_domain)
    app.jinja_env.install_gettext_callables(
        gettext=lambda s: translations().ugettext(s),
        ngettext=lambda s, p, n: translations().ungettext(s, p, n),
        newstyle=True,
        pgettext=lambda c, s: translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: translations().unpgettext(c, s, p, n),
    )
    # The same callables without Jinja's layers: its newstyle `_()` is an alias that calls
    # `gettext`, which calls the function above, each through the template context (8 µs a
    # string; a list page writes some 570). These give the same text in a third of the time.
    app.jinja_env.globals.update(
        _=_template_gettext, gettext=_template_gettext, ngettext=_template_ngettext,
        pgettext=_template_pgettext, npgettext=_template_npgettext,
    )


# Jinja's newstyle gettext (jinja2.ext._make_new_gettext and the rest): the translation is
# marked safe where the template escapes, and always formatted with its variables, so "%%"
# is a percent sign and a variable's value is escaped. The strings and the number are
# positional only: a template may pass a variable of its own called num (or context).
def _catalogue(eval_ctx):
    """translations(), kept on the render's evaluation context while it is still this
    request's and this language's: a macro module imported without context is made once and
    shared by later requests, and force_locale (an e-mail) changes the language mid-request."""
    babel = _babel_state()
    if babel is None:
        return translations()
    kept = eval_ctx.__dict__.get("medvirk_catalogue")
    if kept is not None and kept[0] is babel and kept[1] is babel.__dict__.get("babel_locale"):
        return kept[2]
    catalogue = translations()
    babel = _babel_state()  # translations() resolved the locale on it
    if babel is None:
        return catalogue
    eval_ctx.medvirk_catalogue = (babel, babel.__dict__.get("babel_locale"), catalogue)
    return catalogue


def _written(eval_ctx, text: str, variables: dict) -> str:
    if eval_ctx.autoescape:
        text = Markup(text)
    return text % variables


@pass_eval_context
def _template_gettext(eval_ctx, string: str, /, **variables) -> str:
    return _written(eval_ctx, _catalogue(eval_ctx).ugettext(string), variables)


@pass_eval_context
def _template_ngettext(eval_ctx, singular: str, plural: str, num: int, /, **variables) -> str:
    variables.setdefault("num", num)
    return _written(eval_ctx, _catalogue(eval_ctx).ungettext(singular, plural, num), variables)


@pass_eval_context
def _template_pgettext(eval_ctx, context: str, string: str, /, **variables) -> str:
    variables.setdefault("context", context)
    return _written(eval_ctx, _catalogue(eval_ctx).upgettext(context, string), variables)


@pass_eval_context
def _template_npgettext(eval_ctx, context: str, singular: str, plural: str, num: int, /, **variables) -> str:
    variables.setdefault("context", context)
    variables.setdefault("num", num)
    return _written(eval_ctx, _catalogue(eval_ctx).unpgettext(context, singular, plural, num), variables)
