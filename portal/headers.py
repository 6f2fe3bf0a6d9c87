"""Security headers on every response (OWASP ASVS 5.0 V3.4): a strict Content-Security-Policy,
HSTS outside development, and no caching of anything but static files."""

from flask import Flask, Response, current_app, request

# No inline script, event handler, style element or style attribute: scripts and styles come
# from portal/static only, so an injected tag or attribute cannot run or restyle the page.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'self'; frame-ancestors 'none'; form-action 'self'"
)
HSTS = "max-age=31536000; includeSubDomains"


def add_security_headers(response: Response) -> Response:
    """Defence in depth for every response, downloads included."""
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    if request.endpoint != "static" and not response.cache_control.public:
        # pages, PDFs, workbooks, CSV and attachments hold personal or unpublished data:
        # no browser or proxy keeps a copy (send_file's own "no-cache" still allows storing);
        # only the open data API's public answers say they may be cached (portal/api)
        headers["Cache-Control"] = "no-store"
        headers.pop("Expires", None)
    if current_app.config["HSTS"]:
        headers["Strict-Transport-Security"] = HSTS
    return response


def init_app(app: Flask) -> None:
    app.after_request(add_security_headers)
