"""Budget forms (shape only): import upload, rule edit, slate acknowledgement."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileRequired, MultipleFileField
from wtforms import BooleanField, IntegerField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional


class ImportForm(FlaskForm):
    files = MultipleFileField(
        _l("CSV or XLSX files"),
        validators=[FileRequired(), FileAllowed(["csv", "xlsx"], _l("Only .csv and .xlsx files."))],
    )


class RuleForm(FlaskForm):
    threshold = StringField(
        _l("Threshold (a decimal fraction, 0.15 is 15%)"), validators=[Length(max=20)]
    )
    strict = BooleanField(_l("Strictly above the threshold"))
    effective_from = IntegerField(
        _l("In effect from fiscal year"), validators=[Optional(), NumberRange(1990, 2200)]
    )
    effective_to = IntegerField(
        _l("In effect until fiscal year"), validators=[Optional(), NumberRange(1990, 2200)]
    )
    source = StringField(
        _l("Source (legal citation)"), validators=[DataRequired(), Length(max=500)]
    )
    note = StringField(_l("Reason for the change"), validators=[Length(max=1000)])


class AcknowledgeForm(FlaskForm):
    confirm = BooleanField(
        _l(
            "I acknowledge that this slate leaves the years shown below "
            "the strategic technology floor"
        ),
        validators=[DataRequired()],
    )
    note = TextAreaField(
        _l("Why the slate goes ahead"), validators=[DataRequired(), Length(max=2000)]
    )
