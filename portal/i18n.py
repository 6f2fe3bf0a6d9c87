"""Languages: the locale selector, catalog compilation, money, percent and date formatting."""

import os
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from pathlib import Path

from babel.dates import format_datetime as babel_format_datetime
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal as babel_format_decimal
from babel.numbers import format_percent as babel_format_percent
from flask import Flask, current_app, g, request, session
from flask_babel import get_locale as babel_locale
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from markupsafe import Markup

from funds.clock import LOCAL_TZ, to_utc

TRANSLATIONS = Path(__file__).parent / "translations"


def select_locale() -> str:
    """The user's saved language, then the session's, then the browser's, then Vietnamese."""
    languages = current_app.config["LANGUAGES"]
    if getattr(current_user, "is_authenticated", False) and current_user.locale in languages:
        return current_user.locale
    if session.get("lang") in languages:
        return session["lang"]
    return request.accept_languages.best_match(languages) or languages[0]


def compile_catalogs(root: Path = TRANSLATIONS) -> None:
    """Merge every .po of a language (messages.po and feature parts) into its messages.mo.

    Feature parts (translations/<lang>/<part>.po) let features keep their strings apart.
    """
    if not root.is_dir():
        return
    for lang_dir in sorted(p for p in root.iterdir() if p.is_dir()):
        sources = sorted(lang_dir.glob("*.po")) + sorted(lang_dir.glob("LC_MESSAGES/*.po"))
        mo_path = lang_dir / "LC_MESSAGES" / "messages.mo"
        newest = max((p.stat().st_mtime for p in sources), default=0)
        if mo_path.exists() and mo_path.stat().st_mtime >= newest:
            continue
        merged = Catalog(locale=lang_dir.name)
        for po in sources:
            with po.open("rb") as fh:
                for message in read_po(fh, locale=lang_dir.name):
                    if message.id and message.string and not message.fuzzy:
                        merged[message.id] = message
        mo_path.parent.mkdir(parents=True, exist_ok=True)
        partial = mo_path.with_suffix(f".{os.getpid()}.tmp")
        with partial.open("wb") as fh:
            write_mo(fh, merged)
        os.replace(partial, mo_path)  # atomic: several workers may start at once


def group_digits(amount: int, sep: str) -> str:
    sign = "-" if amount < 0 else ""
    digits = str(abs(int(amount)))
    groups = []
    while digits:
        groups.insert(0, digits[-3:])
        digits = digits[:-3]
    return sign + sep.join(groups or ["0"])


def format_money(amount: int | None, locale: str | None = None) -> str:
    """1.234.567.890 ₫ in Vietnamese, ₫1,234,567,890 in English; never via float."""
    if amount is None:
        return "—"
    locale = locale or str(babel_locale() or "vi")
    if locale.startswith("vi"):
        return f"{group_digits(amount, '.')}\u00a0₫"
    return f"₫{group_digits(amount, ',')}"


def format_percent(share, digits: int = 1, locale: str | None = None) -> str:
    """A share of a whole in per cent, rounded half up to at most `digits` decimals, trailing
    zeros dropped: 0.133333 → 13,3333% in Vietnamese, 13.3333% in English; never via float."""
    if share is None:
        return "—"
    if isinstance(share, Fraction):
        value = Decimal(share.numerator) / Decimal(share.denominator)
    else:
        value = Decimal(str(share))  # a float's shortest text, not its binary expansion
    shown = (value * 100).quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)
    pattern = "#,##0" + ("." + "#" * digits if digits > 0 else "") + "%"
    return babel_format_percent(shown / 100, pattern, locale=locale or str(babel_locale() or "vi"))


def format_number(value, digits: int = 2, locale: str | None = None) -> str:
    """A number that is no money and no share (a score, a weight, an affinity), rounded half
    up to at most `digits` decimals: 1.234,57 in Vietnamese, 1,234.57 in English."""
    if value is None:
        return "—"
    if isinstance(value, Fraction):
        number = Decimal(value.numerator) / Decimal(value.denominator)
    else:
        number = value if isinstance(value, Decimal) else Decimal(str(value))
    shown = number.quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)
    pattern = "#,##0" + ("." + "#" * digits if digits > 0 else "")
    return babel_format_decimal(shown, pattern, locale=locale or str(babel_locale() or "vi"))


def format_verdict_percent(result, digits: int = 4, locale: str | None = None) -> str:
    """A rule result's value in per cent, rounded so that it never contradicts its verdict:
    a failing 0.02999997 against 3% shows as 2,9999%, not 3% (funds.compliance.rules)."""
    from funds.compliance.rules import shown_value

    value = shown_value(result.value, result.threshold, result.ok, digits + 2, result.strict)
    return format_percent(value, digits, locale)


def format_day(value, locale: str | None = None) -> str:
    """A calendar date (no time, no zone) in the user's language: 19/02/2025, 19 Feb 2025."""
    if value is None:
        return "—"
    from babel.dates import format_date

    locale = locale or str(babel_locale() or "vi")
    pattern = "dd/MM/yyyy" if locale.startswith("vi") else "d MMM yyyy"
    return format_date(value, pattern, locale=locale)


def format_instant(value: datetime | None, locale: str | None = None, *, with_zone=True) -> str:
    """An instant in Asia/Ho_Chi_Minh local time, in the user's language."""
    if value is None:
        return "—"
    locale = locale or str(babel_locale() or "vi")
    local = to_utc(value).astimezone(LOCAL_TZ)
    pattern = "dd/MM/yyyy HH:mm" if locale.startswith("vi") else "d MMM yyyy, HH:mm"
    text = babel_format_datetime(local, pattern, tzinfo=LOCAL_TZ, locale=locale)
    return f"{text} (GMT+7)" if with_zone else text


# values that are no state of a machine (states have one filter each: portal.states)
STATUS_LABELS = {  # decision outcomes (a pre-proposal's: shortlisted or not)
    "funded": _l("Funded"),
    "not_funded": _l("Not funded"),
    "shortlisted": _l("Shortlisted"),
    "not_shortlisted": _l("Not shortlisted"),
}
ROLE_LABELS = {
    "applicant": _l("Applicant"),
    "reviewer": _l("Reviewer"),
    "manager": _l("Fund manager"),
    "admin": _l("Administrator"),
    "host_officer": _l("Host officer"),
}


def area_name(code: str | None) -> str:
    """A strategic area by its name in the user's language ("—" for none, the code itself when
    the list does not hold it); the list is read once per request."""
    if not code:
        return "—"
    names = g.get("area_names")
    if names is None:
        from funds.calls.queries import areas
        from portal import db

        locale = str(babel_locale() or "vi")
        names = {a.code: a.name_for(locale) for a in areas(db.session(), active_only=False)}
        g.area_names = names
    return names.get(code, code)


def register_labels(mapping: dict) -> None:
    """Features add the translated labels of their own states."""
    STATUS_LABELS.update(mapping)


def status_label(status: str) -> str:
    return str(STATUS_LABELS.get(status, status))


def _form_translations():
    """WTForms' own messages through our catalogs (WTForms ships no Vietnamese)."""
    from flask_babel import get_translations

    return get_translations() if request else None


def init_app(app: Flask) -> None:
    import flask_wtf.i18n

    from portal import states
    from portal.navigation import nav_items

    flask_wtf.i18n._get_translations = _form_translations
    states.init_app(app)

    compile_catalogs()
    app.jinja_env.filters["money"] = format_money
    app.jinja_env.filters["percent"] = format_percent
    app.jinja_env.filters["number"] = format_number
    app.jinja_env.filters["verdict_percent"] = format_verdict_percent
    app.jinja_env.filters["instant"] = format_instant
    app.jinja_env.filters["day"] = format_day
    app.jinja_env.filters["nl2br"] = lambda s: Markup("<br>").join((s or "").splitlines())
    app.jinja_env.globals["current_locale"] = lambda: str(babel_locale())
    app.jinja_env.globals["status_label"] = status_label
    app.jinja_env.globals["area_name"] = area_name
    app.jinja_env.filters["area_name"] = area_name
    app.jinja_env.globals["role_label"] = lambda r: str(ROLE_LABELS.get(r, r))
    app.jinja_env.globals["nav_items"] = nav_items
