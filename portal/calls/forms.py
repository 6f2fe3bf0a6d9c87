"""Fund and call forms."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Regexp

from portal.forms import LocalDateTimeField, MoneyField


class FundForm(FlaskForm):
    code = StringField(_l("Code"), validators=[
        DataRequired(), Length(max=40),
        Regexp(r"^[A-Za-z0-9_-]+$", message=_l("Letters, digits, - and _ only."))])
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=300)])
    description = TextAreaField(_l("Description"), validators=[Length(max=5000)])


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
