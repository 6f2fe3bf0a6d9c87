"""Admin forms: accounts and the strategic technology list."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectChoice, BooleanField, EmailField, PasswordField, SelectMultipleField, StringField
from wtforms.validators import DataRequired, Email, Length


class UserForm(FlaskForm):
    name = StringField(_l("Full name"), validators=[DataRequired(), Length(max=200)])
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Email(), Length(max=254)])
    institution = StringField(_l("Institution"), validators=[Length(max=300)])
    roles = SelectMultipleField(_l("Roles"), choices=[
        SelectChoice("applicant", _l("Applicant")), SelectChoice("reviewer", _l("Reviewer")),
        SelectChoice("manager", _l("Fund manager")), SelectChoice("admin", _l("Administrator"))],
        validators=[DataRequired()])
    password = PasswordField(_l("Initial password (at least 12 characters)"),
                             validators=[DataRequired(), Length(min=12, max=128)])


class AreaForm(FlaskForm):
    name_vi = StringField(_l("Name (Vietnamese)"), validators=[DataRequired(), Length(max=300)])
    name_en = StringField(_l("Name (English)"), validators=[DataRequired(), Length(max=300)])
    source = StringField(_l("Source"), validators=[Length(max=200)])
    active = BooleanField(_l("Active"))
