"""Proposal and decision forms (shape only)."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectChoice, HiddenField, IntegerField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from portal.forms import MoneyField


class ProposalForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=300)])
    abstract = TextAreaField(_l("Abstract"), validators=[Length(max=20000)])
    area_code = SelectField(_l("Strategic technology area"), choices=[], validate_choice=True)
    requested_vnd = MoneyField(_l("Requested amount (đồng)"), validators=[Optional()])
    version_id = IntegerField(widget=HiddenField.widget, validators=[Optional()])


class DecisionForm(FlaskForm):
    outcome = RadioField(_l("Decision"), choices=[SelectChoice("funded", _l("Funded")),
                                                  SelectChoice("not_funded", _l("Not funded"))],
                         validators=[InputRequired()])
    note = TextAreaField(_l("Note to the applicant"), validators=[Length(max=5000)])


class ActionForm(FlaskForm):
    """A button that changes state: CSRF-protected, nothing else."""
