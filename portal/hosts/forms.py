"""Host organisation forms (shape only; tax codes, names and duplicates are the domain's)."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, RadioField, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length


def int_or_none(value):
    """A select's value: '' for none, else an id (anything else is refused by wtforms)."""
    if value in (None, "", "None"):
        return None
    return int(value)


class HostForm(FlaskForm):
    name_vi = StringField(
        _l("Legal name (Vietnamese)"), validators=[DataRequired(), Length(max=300)]
    )
    name_en = StringField(_l("Legal name (English)"), validators=[Length(max=300)])
    tax_code = StringField(_l("Tax code"), validators=[Length(max=20)])
    address = StringField(_l("Address"), validators=[Length(max=500)])
    line_agency = StringField(_l("Line agency"), validators=[Length(max=300)])
    representative_name = StringField(_l("Legal representative"), validators=[Length(max=200)])
    representative_title = StringField(
        _l("Legal representative's title"), validators=[Length(max=200)]
    )
    finance_name = StringField(_l("Finance contact"), validators=[Length(max=200)])
    finance_email = StringField(_l("Finance contact's e-mail"), validators=[Length(max=254)])
    finance_phone = StringField(_l("Finance contact's phone"), validators=[Length(max=30)])
    allow_duplicate = BooleanField(
        _l("This is another organisation with a similar name: register it anyway")
    )

    def values(self) -> dict:
        return {
            f.name: f.data or "" for f in self if f.name not in ("csrf_token", "allow_duplicate")
        }


class RequestHostForm(FlaskForm):
    """An applicant asks for an organisation missing from the register."""

    name_vi = StringField(
        _l("Legal name (Vietnamese)"), validators=[DataRequired(), Length(max=300)]
    )
    name_en = StringField(_l("Legal name (English)"), validators=[Length(max=300)])
    tax_code = StringField(_l("Tax code"), validators=[Length(max=20)])
    address = StringField(_l("Address"), validators=[Length(max=500)])

    def values(self) -> dict:
        return {f.name: f.data or "" for f in self if f.name != "csrf_token"}


class HostChoiceForm(FlaskForm):
    host_id = SelectField(
        _l("Host organisation"), choices=[], coerce=int_or_none, validate_choice=False
    )


class OfficerForm(FlaskForm):
    user_id = SelectField(_l("Host officer"), choices=[], coerce=int, validate_choice=True)


class EndorsementForm(FlaskForm):
    decision = RadioField(
        _l("Decision"),
        choices=[
            SelectChoice("endorse", _l("Endorse the submitted version")),
            SelectChoice("return", _l("Return it to the principal investigator")),
        ],
        validators=[InputRequired()],
    )
    reason = TextAreaField(_l("Reason (required to return)"), validators=[Length(max=2000)])
