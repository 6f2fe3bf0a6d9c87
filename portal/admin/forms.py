"""Admin forms: accounts and the strategic technology list."""

from typing import ClassVar

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    IntegerField,
    SelectChoice,
    SelectMultipleField,
    StringField,
)
from wtforms.validators import DataRequired, Email, Length, NumberRange, Optional


class UserForm(FlaskForm):
    name = StringField(_l("Full name"), validators=[DataRequired(), Length(max=200)])
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Email(), Length(max=254)])
    institution = StringField(_l("Institution"), validators=[Length(max=300)])
    ROLE_CHOICES: ClassVar[list] = [
        SelectChoice("applicant", _l("Applicant")),
        SelectChoice("reviewer", _l("Reviewer")),
        SelectChoice("manager", _l("Fund manager")),
        SelectChoice("admin", _l("Administrator")),
        SelectChoice("host_officer", _l("Host officer (acts for a host organisation)")),
    ]
    roles = SelectMultipleField(_l("Roles"), choices=ROLE_CHOICES, validators=[DataRequired()])


class RolesForm(FlaskForm):
    roles = SelectMultipleField(
        _l("Roles"), choices=UserForm.ROLE_CHOICES, validators=[DataRequired()]
    )


class AreaForm(FlaskForm):
    name_vi = StringField(_l("Name (Vietnamese)"), validators=[DataRequired(), Length(max=300)])
    name_en = StringField(_l("Name (English)"), validators=[DataRequired(), Length(max=300)])
    source = StringField(_l("Source"), validators=[Length(max=200)])
    active = BooleanField(_l("Active"))
    effective_from = IntegerField(
        _l("On the strategic list from fiscal year"),
        validators=[Optional(), NumberRange(1990, 2200)],
    )
    effective_to = IntegerField(
        _l("On the strategic list until fiscal year (empty: still on it)"),
        validators=[Optional(), NumberRange(1990, 2200)],
    )
