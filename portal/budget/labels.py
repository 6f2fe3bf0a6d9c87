"""Translated names of the rules and bases."""

import csv
from pathlib import Path

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from markupsafe import Markup

from portal.i18n import format_percent

RULE_LABELS = {
    "st_share_of_state_budget_2013": _l("S&T share of the state budget (Law 29/2013, Art. 49)"),
    "st_share_of_state_budget": _l("S&T/I/DX share of the state budget"),
    "st_share_rising": _l("Share rising year on year (indicator)"),
    "strategic_share_of_st_budget": _l("Strategic technology share of the state S&T budget"),
}
BASIS_LABELS = {
    "planned": _l("Planned"),
    "committed": _l("Committed"),
    "disbursed": _l("Disbursed"),
    "revised": _l("Revised estimate"),
    "final": _l("Final accounts"),
}
KIND_LABELS = {"floor": _l("Floor"), "indicator": _l("Indicator")}


def rule_label(rule_id: str) -> str:
    return str(RULE_LABELS.get(rule_id, rule_id))


SETTING_CHOICES = {
    "st": _l("The state S&T budget line"),
    "stidx": _l("The S&T, innovation and digital-transformation line"),
    "proportionate": _l("Proportionate recovery"),
    "full": _l("Full recovery"),
}
SETTING_SOURCES = {  # the notes migrations wrote on the versions they made
    "seeded": _l("As shipped"),
    "dated by its legal instrument (0015_law)": _l("Dated by its legal instrument"),
}


def setting_text(spec, text: str) -> str:
    """A legal setting's value as a reader says it: a share in per cent, yes or no, a choice's
    label; a stored value that no longer parses, as stored."""
    try:
        value = spec.parse(text)
    except (ValueError, ZeroDivisionError):
        return text
    if spec.kind == "fraction":
        return format_percent(value)
    if spec.kind == "bool":
        return str(_l("Yes") if value else _l("No"))
    return str(SETTING_CHOICES.get(value, value))


def setting_reason(spec) -> str:
    """Why a setting has its default, in the reader's language (plain gettext: the
    Vietnamese says 15%, which Jinja's _() would take for a format)."""
    return gettext(spec.reason)


def history_note(note: str | None) -> str:
    """The note of a rule or instrument version; the shipped versions' marker translated."""
    return str(SETTING_SOURCES.get(note or "", note or ""))


def choice_texts(spec) -> list[Markup]:
    """A choice setting's values as typed (code), each with what it means."""
    return [
        Markup("<code>{}</code> ({})").format(c, SETTING_CHOICES.get(c, "…")) for c in spec.choices
    ]


def _shipped_notes() -> frozenset[str]:
    path = Path(__file__).parents[2] / "funds" / "data" / "legal_instruments.csv"
    with path.open(encoding="utf-8") as fh:
        return frozenset(row["note"] for row in csv.DictReader(fh) if row["note"])


def _shipped_rule_texts() -> frozenset[str]:
    from funds.compliance.defaults import DEFAULT_RULES

    return frozenset(r[k] for r in DEFAULT_RULES for k in ("source", "description") if r[k])


# the texts rdfund ships in English (instrument notes, rule sources), translated by msgid
SHIPPED_NOTES = _shipped_notes() | _shipped_rule_texts()


def shipped_text(text: str | None) -> str:
    """An instrument's note or a rule's source in the reader's language when it is the text
    rdfund shipped (translated in the catalog by its msgid); an administrator's own, as typed."""
    if not text:
        return ""
    return gettext(text) if text in SHIPPED_NOTES else text


LAW_TEXTS = dict(
    setting_text=setting_text,
    setting_reason=setting_reason,
    choice_texts=choice_texts,
    shipped_text=shipped_text,
    history_note=history_note,
)
