"""Fund and call forms."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, Regexp

from funds.calls.rules import CALL_SETTINGS, Setting
from portal.forms import LocalDateTimeField, MoneyField, choices
from portal.submission.forms import KIND_LABELS


def setting_field(setting: Setting):
    """The form field of a call setting: label, default and range from its specification."""
    label = _l(setting.label)
    if isinstance(setting.default, bool):
        return BooleanField(label, default=setting.default)
    if isinstance(setting.default, frozenset):
        return SelectMultipleField(
            label,
            choices=choices(KIND_LABELS.items()),
            default=sorted(setting.default),
            validate_choice=True,
        )
    return IntegerField(
        label,
        default=setting.default,
        validators=[Optional(), NumberRange(min=setting.minimum, max=setting.maximum)],
    )


class FundForm(FlaskForm):
    code = StringField(
        _l("Code"),
        validators=[
            DataRequired(),
            Length(max=40),
            Regexp(r"^[A-Za-z0-9_-]+$", message=_l("Letters, digits, - and _ only.")),
        ],
    )
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=300)])
    description = TextAreaField(_l("Description"), validators=[Length(max=5000)])


class FundManagerForm(FlaskForm):
    """An administrator adds a manager to a fund (choices: managers not linked yet)."""

    user_id = SelectField(_l("Manager"), choices=[], coerce=int, validate_choice=True)


class CallForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=300)])
    description = TextAreaField(_l("Description"), validators=[Length(max=10000)])
    opens_at = LocalDateTimeField(_l("Opens (Vietnam time, GMT+7)"), validators=[InputRequired()])
    closes_at = LocalDateTimeField(_l("Closes (Vietnam time, GMT+7)"), validators=[InputRequired()])
    ceiling_vnd = MoneyField(_l("Ceiling per proposal (đồng)"), validators=[InputRequired()])
    budget_vnd = MoneyField(_l("Total call budget (đồng)"), validators=[InputRequired()])
    area_codes = SelectMultipleField(
        _l("Eligible strategic areas (none: open to all)"), choices=[], validate_choice=True
    )
    # two-stage calls: the full proposals' deadline (the setting two_stage is in CALL_SETTINGS)
    full_closes_at = LocalDateTimeField(
        _l("Full proposals' deadline (two stages; Vietnam time, GMT+7)"), validators=[Optional()]
    )


for _setting in CALL_SETTINGS:  # indirect-cost cap, duration, attachments, … (funds.calls.rules)
    setattr(CallForm, _setting.name, setting_field(_setting))
