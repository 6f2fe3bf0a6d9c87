"""Form pieces shared by blueprints: money and local date-time fields (domain errors are
shown by portal.edge)."""

from datetime import datetime

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import Field, SelectChoice, StringField
from wtforms.validators import ValidationError
from wtforms.widgets import DateTimeLocalInput

from funds.clock import LOCAL_TZ
from funds.rules import MAX_VND


def parse_vnd(text: str) -> int:
    """Whole đồng typed with or without separators (1.000.000 / 1,000,000 / 1 000 000)."""
    cleaned = text.strip().replace("₫", "").replace("đ", "").replace("\u00a0", "")
    cleaned = cleaned.replace(" ", "").replace(".", "").replace(",", "")
    if cleaned.startswith("-"):
        raise ValueError(_("Amounts cannot be negative."))
    if not cleaned.isdigit() or not cleaned.isascii():
        raise ValueError(_("Enter a whole number of đồng, for example 1.500.000.000."))
    if len(cleaned) > 16 or int(cleaned) > MAX_VND:
        raise ValueError(_("The amount is larger than any budget allows."))
    return int(cleaned)


class MoneyField(StringField):
    """An integer number of đồng; fractions, negatives and overflow are refused with a reason."""

    def process_formdata(self, valuelist):
        self.raw = valuelist[0] if valuelist else ""
        self.data = None
        if not self.raw.strip():
            return
        if any(sep in self.raw for sep in (".", ",")) and _looks_fractional(self.raw):
            raise ValueError(_("Amounts are whole numbers of đồng, without decimals."))
        self.data = parse_vnd(self.raw)

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        return "" if self.data is None else f"{self.data:,}".replace(",", ".")


def _looks_fractional(text: str) -> bool:
    """'12,5' or '1.5' are decimals; '1.500.000' and '1,500,000' are grouped thousands."""
    parts = text.strip().replace(",", ".").split(".")
    return len(parts) > 1 and any(len(p) != 3 for p in parts[1:])


class LocalDateTimeField(Field):
    """A date and time typed in Vietnam's time (GMT+7), stored as an aware instant."""

    widget = DateTimeLocalInput()

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        return self.data.astimezone(LOCAL_TZ).strftime("%Y-%m-%dT%H:%M") if self.data else ""

    def process_formdata(self, valuelist):
        self.data = None
        text = (valuelist[0] if valuelist else "").strip()
        if not text:
            return
        try:
            naive = datetime.fromisoformat(text)
        except ValueError as exc:
            raise ValueError(_("Enter a date and time like 2026-12-31 17:00.")) from exc
        if not 2000 <= naive.year <= 2100:
            raise ValueError(_("Enter a date between the years 2000 and 2100."))
        self.data = naive.replace(tzinfo=LOCAL_TZ) if naive.tzinfo is None else naive


def choices(pairs) -> list[SelectChoice]:
    """(value, label) pairs as WTForms 3.3 wants them."""
    return [SelectChoice(str(value), label) for value, label in pairs]


def not_blank(form, field):
    if field.data is not None and not str(field.data).strip():
        raise ValidationError(_l("This field cannot be blank."))
