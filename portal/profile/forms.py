"""Profile forms (shape only)."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import IntegerField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional


class ProfileForm(FlaskForm):
    institution = StringField(_l("Institution"), validators=[Length(max=300)])
    orcid = StringField(_l("ORCID iD"), validators=[Length(max=19)])
    title = StringField(_l("Academic title"), validators=[Length(max=100)])
    position = StringField(_l("Position"), validators=[Length(max=200)])
    cv = TextAreaField(_l("Short CV"), validators=[Length(max=20000)])


class PublicationForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=1000)])
    authors = StringField(_l("Authors (separated by ;)"), validators=[Length(max=4000)])
    year = IntegerField(_l("Year"), validators=[Optional(), NumberRange(min=1900, max=2100)])
    venue = StringField(_l("Journal or conference"), validators=[Length(max=500)])
    doi = StringField(_l("DOI"), validators=[Length(max=200)])


class ImportForm(FlaskForm):
    file = FileField(
        _l("File (ORCID JSON, BibTeX or RIS)"), validators=[FileRequired(_l("Choose a file."))]
    )


class ConfirmForm(FlaskForm):
    """The confirmation of an import (CSRF only)."""
