"""Where a `next` parameter may send the user: only a path on this site (ASVS 5.0 V3.7.2)."""

import unicodedata
from urllib.parse import unquote, urlsplit

MAX_LENGTH = 2000


def _unsafe_char(ch: str) -> bool:
    # Browsers drop tabs and newlines inside URLs and read "\" as "/", so "/\tevil" and
    # "/\evil" would leave the site; any control, format or space character is refused.
    return ch == "\\" or ch.isspace() or unicodedata.category(ch) in ("Cc", "Cf", "Zs", "Zl", "Zp")


def _leaves_site(text: str) -> bool:
    if not text.startswith("/") or text.startswith("//") or any(map(_unsafe_char, text)):
        return True
    parts = urlsplit(text)
    return bool(parts.scheme or parts.netloc)


def safe_next_url(target: str | None, default: str) -> str:
    """`target` if it is a same-site relative path, otherwise `default`.

    Checked both as given and percent-decoded, and after stripping, so an encoded
    `/%09/evil.example` cannot become `//evil.example` in the browser.
    """
    if not target or len(target) > MAX_LENGTH:
        return default
    decoded = unquote(target)
    for text in (target, decoded, target.strip(), decoded.strip()):
        if _leaves_site(text):
            return default
    return target
