"""Budget forms (shape only): import upload, rule edit, slate acknowledgement."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileRequired, MultipleFileField
from wtforms import (
    BooleanField,
    DateField,
    IntegerField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
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
    instrument_code = SelectField(_l("Legal instrument"), choices=[])
    article = StringField(_l("Article or section"), validators=[Length(max=120)])
    source = StringField(
        _l("Source (legal citation)"), validators=[DataRequired(), Length(max=500)]
    )
    note = StringField(_l("Reason for the change"), validators=[Length(max=1000)])


class InstrumentForm(FlaskForm):
    number = StringField(_l("Number"), validators=[DataRequired(), Length(max=80)])
    kind = SelectField(
        _l("Kind"),
        choices=[
            SelectChoice("law", _l("Law")),
            SelectChoice("resolution", _l("Resolution")),
            SelectChoice("decree", _l("Decree")),
            SelectChoice("decision", _l("Decision")),
            SelectChoice("circular", _l("Circular")),
        ],
    )
    title_vi = StringField(_l("Title in Vietnamese"), validators=[DataRequired(), Length(max=500)])
    title_en = StringField(_l("Title in English"), validators=[DataRequired(), Length(max=500)])
    issuer = StringField(_l("Issued by"), validators=[DataRequired(), Length(max=200)])
    issued_on = DateField(_l("Issued on"), validators=[DataRequired()])
    effective_from = DateField(_l("In force from"), validators=[DataRequired()])
    effective_to = DateField(
        _l("In force until (last day; empty: still in force)"), validators=[Optional()]
    )
    supersedes = SelectField(_l("Supersedes"), choices=[])
    certainty = SelectField(
        _l("How sure these facts are"),
        choices=[
            SelectChoice("S", _l("Read in a source")),
            SelectChoice("P", _l("Partly read, partly inferred")),
            SelectChoice("V", _l("To verify")),
        ],
    )
    note = TextAreaField(_l("What rdfund takes from it"), validators=[Length(max=2000)])
    reason = StringField(_l("Reason for the change"), validators=[DataRequired(), Length(max=1000)])


class SettingForm(FlaskForm):
    value = StringField(_l("Value"), validators=[DataRequired(), Length(max=200)])
    reason = TextAreaField(
        _l("Reason for the change"), validators=[DataRequired(), Length(max=2000)]
    )


class AcknowledgeForm(FlaskForm):
    confirm = BooleanField(
        _l(
            "I acknowledge that after this slate the strategic technology floor can no "
            "longer be reached (or checked) in the years shown"
        ),
        validators=[DataRequired()],
    )
    note = TextAreaField(
        _l("Why the slate goes ahead"), validators=[DataRequired(), Length(max=2000)]
    )
