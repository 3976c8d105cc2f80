"""Security headers on every response: no inline script, no third party, no framing."""

from flask import Flask, current_app

CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "base-uri 'self'",
        "object-src 'none'",
    ]
)


# One year, as the HSTS preload list asks; sent only where cookies are https-only anyway.
HSTS = "max-age=31536000; includeSubDomains"
REFERRER_POLICY = "strict-origin-when-cross-origin"
PERMISSIONS_POLICY = "geolocation=(), camera=(), microphone=()"


def apply_headers(response):
    """Add the headers to a response; the error pages call this themselves, since an
    after_request hook may not run when a request failed badly."""
    framable = "frame-ancestors 'none'" not in response.headers.get("Content-Security-Policy", CSP)
    response.headers.setdefault("Content-Security-Policy", CSP)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", REFERRER_POLICY)
    if not framable:
        # A view that names who may frame it (its own frame-ancestors) is not denied here.
        response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
    if current_app.config.get("SESSION_COOKIE_SECURE"):
        response.headers.setdefault("Strict-Transport-Security", HSTS)
    return response


def static_headers(config) -> dict[str, str]:
    """The same headers for the static files, which WhiteNoise serves before Flask sees the
    request (app/core/assets.py)."""
    headers = {
        "Content-Security-Policy": CSP,
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": REFERRER_POLICY,
        "X-Frame-Options": "DENY",
        "Permissions-Policy": PERMISSIONS_POLICY,
    }
    if config.get("SESSION_COOKIE_SECURE"):
        headers["Strict-Transport-Security"] = HSTS
    return headers


def init_app(app: Flask) -> None:
    app.after_request(apply_headers)
