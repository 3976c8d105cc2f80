"""Language choice: ?lang= on any address, the switcher's cookie, the profile, Accept-Language."""

from flask import Flask, current_app, g, has_request_context, request
from flask_login import current_user

LOCALES = ("nb", "nn", "en")
LOCALE_NAMES = {"nb": "Bokmål", "nn": "Nynorsk", "en": "English"}
LANG_COOKIE = "lang"


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


def _remember_choice(response):
    # Only the cookie: a GET changes no stored state. The account's language is the
    # profile's to change (a POST), and core knows no domain.
    chosen = g.get("chosen_locale")
    if chosen:
        response.set_cookie(
            LANG_COOKIE, chosen, max_age=365 * 24 * 3600, samesite="Lax", httponly=True,
            secure=current_app.config["SESSION_COOKIE_SECURE"],
        )
    return response


def init_app(app: Flask) -> None:
    app.after_request(_remember_choice)
