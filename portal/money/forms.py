"""Forms of the Money section (amounts in đồng; a reason to go past the fund's allocation)."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from portal.forms import MoneyField

OVERRIDE = _l("Reason to go past the fund's allocation (only if it would go negative)")


class PaymentForm(FlaskForm):
    """A payment the manager makes: the advance or the release of a tranche."""

    allocation_override = TextAreaField(OVERRIDE, validators=[Length(max=2000)])


class AmountForm(FlaskForm):
    """The final payment or a settlement adjustment."""

    amount_vnd = MoneyField(_l("Amount (đồng)"), validators=[InputRequired()])
    allocation_override = TextAreaField(OVERRIDE, validators=[Length(max=2000)])


class TrancheForm(FlaskForm):
    """A tranche tied to a date (a milestone's tranche is set with the milestone)."""

    amount_vnd = MoneyField(_l("Amount (đồng)"), validators=[InputRequired()])
    due_on = DateField(_l("Payable from"), validators=[InputRequired()])


class RefundForm(FlaskForm):
    amount_vnd = MoneyField(_l("Amount received (đồng)"), validators=[InputRequired()])
    payer = SelectField(
        _l("Returned by"),
        choices=[
            SelectChoice("host", _l("Host organisation")),
            SelectChoice("pi", _l("Principal investigator")),
        ],
    )
    reason = StringField(_l("Reference (payment order, date)"), validators=[Length(max=2000)])


class ConfirmForm(FlaskForm):
    """Liquidation: nothing to type, the CSRF token only."""


class SettlementNoteForm(FlaskForm):
    note = TextAreaField(_l("Note"), validators=[Optional(), Length(max=5000)])
