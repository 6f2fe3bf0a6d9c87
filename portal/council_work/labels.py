"""The translated names the members' pages show: answers on the ballot, built-in sheet
criteria (a call's own rubric shows as the fund typed it), roles."""

from flask_babel import gettext
from flask_babel import lazy_gettext as _l

from portal.reviews.labels import criterion_text
from reviews.councils.rules import ROLE_LABELS
from reviews.councils.sheets.rules import BUILT_IN_NAMES

CHOICES = {
    "select": _l("Select"),
    "select_with_changes": _l("Select with changes"),
    "do_not_select": _l("Do not select"),
    "excellent": _l("Excellent"),
    "pass": _l("Pass"),
    "fail": _l("Fail"),
    "continue": _l("Continue"),
    "adjust": _l("Adjust"),
    "stop": _l("Stop"),
    "no_conclusion": _l("No conclusion"),
}


def choice_label(value: str | None) -> str:
    return "—" if not value else str(CHOICES.get(value, value))


def sheet_criterion(name: str) -> str:
    """A built-in criterion (acceptance, mid-term, overall) translated; a rubric's as typed."""
    return gettext(name) if name in BUILT_IN_NAMES else criterion_text(name)


def role_label(role: str | None) -> str:
    return gettext(ROLE_LABELS[role]) if role in ROLE_LABELS else ""
