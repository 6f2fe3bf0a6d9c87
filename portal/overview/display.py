"""How the timeline's dates and countdowns read, in the user's language and time zone."""

from datetime import date, datetime

from flask_babel import gettext as _
from flask_babel import ngettext

from funds.clock import utcnow
from funds.timeline.rules import DUE_IN, countdown
from portal.i18n import format_day, format_instant


def countdown_text(
    deadline: datetime | None, phrase: str = DUE_IN, now: datetime | None = None
) -> str:
    """'closes in 3 days 4 hours' (`phrase`, a msgid with %(time)s), against the server's
    clock ('' without a deadline)."""
    if deadline is None:
        return ""
    left = countdown(deadline, now or utcnow())
    if left.passed:
        return _("the deadline has passed")
    parts = []
    if left.days:
        parts.append(ngettext("%(num)s day", "%(num)s days", left.days))
    if left.hours:
        parts.append(ngettext("%(num)s hour", "%(num)s hours", left.hours))
    if not left.days and (left.minutes or not left.hours):
        parts.append(ngettext("%(num)s minute", "%(num)s minutes", left.minutes))
    return _(phrase, time=" ".join(parts))


def step_when(value: datetime | date | None) -> str:
    """A step's date: an instant in local time, or a calendar day."""
    if isinstance(value, datetime):
        return format_instant(value)
    return format_day(value)
