"""Attachment and team forms (shape only)."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import EmailField, IntegerField, SelectField, StringField
from wtforms.validators import DataRequired, Email, Length, NumberRange

from portal.forms import choices

KIND_LABELS = {
    "description": _l("Detailed description"),
    "cv": _l("CVs of the team"),
    "budget_justification": _l("Budget justification"),
    "partner_letter": _l("Letter from a partner"),
    "other": _l("Other document"),
}


class AttachmentForm(FlaskForm):
    kind = SelectField(
        _l("Kind of document"), choices=choices(KIND_LABELS.items()), validate_choice=True
    )
    file = FileField(_l("File"), validators=[FileRequired(_l("Choose a file."))])


class MemberForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Email(), Length(max=254)])
    institution = StringField(_l("Institution"), validators=[Length(max=300)])
    role = StringField(_l("Role in the project"), validators=[Length(max=200)])
    effort_pct = IntegerField(
        _l("Effort (per cent of working time)"),
        validators=[
            NumberRange(min=0, max=100, message=_l("Effort is between 0 and 100 per cent."))
        ],
    )
