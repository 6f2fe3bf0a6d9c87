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

from portal.forms import LocalDateTimeField, MoneyField, choices
from portal.submission.forms import KIND_LABELS


def _range(lo: int, hi: int):
    return [Optional(), NumberRange(min=lo, max=hi)]


class FundForm(FlaskForm):
    code = StringField(_l("Code"), validators=[
        DataRequired(), Length(max=40),
        Regexp(r"^[A-Za-z0-9_-]+$", message=_l("Letters, digits, - and _ only."))])
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=300)])
    description = TextAreaField(_l("Description"), validators=[Length(max=5000)])


class FundManagerForm(FlaskForm):
    """An administrator adds a manager to a fund (choices: managers not linked yet)."""

    user_id = SelectField(_l("Manager"), choices=[], coerce=int, validate_choice=True)


class CallForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=300)])
    description = TextAreaField(_l("Description"), validators=[Length(max=10000)])
    opens_at = LocalDateTimeField(_l("Opens (Vietnam time, GMT+7)"),
                                  validators=[InputRequired()])
    closes_at = LocalDateTimeField(_l("Closes (Vietnam time, GMT+7)"),
                                   validators=[InputRequired()])
    ceiling_vnd = MoneyField(_l("Ceiling per proposal (đồng)"), validators=[InputRequired()])
    budget_vnd = MoneyField(_l("Total call budget (đồng)"), validators=[InputRequired()])
    area_codes = SelectMultipleField(_l("Eligible strategic areas (none: open to all)"),
                                     choices=[], validate_choice=True)
    indirect_cap_pct = IntegerField(_l("Indirect costs cap (per cent of direct costs)"),
                                    default=10, validators=_range(0, 100))
    max_duration_months = IntegerField(_l("Maximum duration (months)"), default=36,
                                       validators=_range(1, 600))
    required_attachments = SelectMultipleField(_l("Required attachments"),
                                               choices=choices(KIND_LABELS.items()),
                                               validate_choice=True)
    abstract_max_chars = IntegerField(_l("Abstract length limit (characters)"), default=5000,
                                      validators=_range(100, 20000))
    max_proposals_per_pi = IntegerField(_l("Proposals per principal investigator (0: no limit)"),
                                        default=0, validators=_range(0, 100))
    attachment_max_mb = IntegerField(_l("Attachment size limit (MB)"), default=10,
                                     validators=_range(1, 50))
    pdf_only = BooleanField(_l("Attachments must be PDF"), default=True)
