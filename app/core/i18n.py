"""Language choice: ?lang= on any address, the user's profile, a cookie, Accept-Language."""

from flask import Flask, current_app, g, has_request_context, request
from flask_login import current_user

LOCALES = ("nb", "nn", "en")
LOCALE_NAMES = {"nb": "Bokmål", "nn": "Nynorsk", "en": "English"}
LANG_COOKIE = "lang"


def select_locale() -> str:
    if not has_request_context():
        # CLI and background work: the municipality's language (force_locale overrides it).
        return current_app.config["DEFAULT_LOCALE"]
    requested = request.args.get("lang")
    if requested in LOCALES:
        g.chosen_locale = requested
        return requested
    if current_user and current_user.is_authenticated and current_user.locale in LOCALES:
        return current_user.locale
    cookie = request.cookies.get(LANG_COOKIE)
    if cookie in LOCALES:
        return cookie
    # Browsers send "no" or "nb-NO" for bokmål; "no" counts as bokmål.
    best = request.accept_languages.best_match([*LOCALES, "no"])
    if best == "no":
        return "nb"
    return best or current_app.config["DEFAULT_LOCALE"]


def _remember_choice(response):
    chosen = g.get("chosen_locale")
    if chosen:
        response.set_cookie(
            LANG_COOKIE, chosen, max_age=365 * 24 * 3600, samesite="Lax", httponly=True,
            secure=current_app.config["SESSION_COOKIE_SECURE"],
        )
        if current_user and current_user.is_authenticated and current_user.locale != chosen:
            from app.accounts.services import set_locale

            set_locale(current_user, chosen)
    return response


def init_app(app: Flask) -> None:
    app.after_request(_remember_choice)
