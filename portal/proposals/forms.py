"""Proposal and decision forms (shape only)."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    HiddenField,
    IntegerField,
    RadioField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from funds.calls.rules import Stage
from portal.bounds import INT_MAX
from portal.forms import MoneyField
from portal.hosts.forms import int_or_none

TRL = [Optional(), NumberRange(min=1, max=9, message=_l("Readiness levels run from 1 to 9."))]
COUNT = [
    Optional(),
    NumberRange(min=0, max=10000, message=_l("Give a count between 0 and 10,000.")),
]


class ProposalForm(FlaskForm):
    title = StringField(_l("Title (Vietnamese)"), validators=[DataRequired(), Length(max=300)])
    title_en = StringField(_l("Title (English)"), validators=[Length(max=300)])
    abstract = TextAreaField(_l("Abstract"), validators=[Length(max=20000)])
    keywords = StringField(_l("Keywords (separated by ;)"), validators=[Length(max=500)])
    area_code = SelectField(_l("Strategic technology area"), choices=[], validate_choice=True)
    trl_now = IntegerField(_l("Technology readiness level now"), validators=TRL)
    trl_target = IntegerField(_l("Technology readiness level targeted"), validators=TRL)
    duration_months = IntegerField(
        _l("Duration (months)"),
        validators=[
            Optional(),
            NumberRange(min=1, max=600, message=_l("Give the duration in months (1–600).")),
        ],
    )
    requested_vnd = MoneyField(_l("Requested amount (đồng)"), validators=[Optional()])
    publications_planned = IntegerField(_l("Publications planned"), validators=COUNT)
    patents_planned = IntegerField(_l("Patents planned"), validators=COUNT)
    prototypes_planned = TextAreaField(_l("Prototypes and products"), validators=[Length(max=2000)])
    commercialisation_plan = TextAreaField(
        _l("Commercialisation plan and partners"), validators=[Length(max=10000)]
    )
    # choices from the register (portal.hosts.views.host_choices); checked by the domain
    host_id = SelectField(
        _l("Host organisation"), choices=[], coerce=int_or_none, validate_choice=False
    )
    version_id = IntegerField(
        widget=HiddenField.widget,  # compared in SQL: an INTEGER
        validators=[Optional(), NumberRange(min=0, max=INT_MAX)],
    )


class DecisionForm(FlaskForm):
    outcome = RadioField(
        _l("Decision"),
        choices=[
            SelectChoice("funded", _l("Funded")),
            SelectChoice("not_funded", _l("Not funded")),
        ],
        validators=[InputRequired()],
    )
    note = TextAreaField(_l("Note to the applicant"), validators=[Length(max=5000)])


def decision_form(stage: str) -> DecisionForm:
    """The decision form of a proposal: a two-stage call's pre-proposal is shortlisted or not."""
    form = DecisionForm()
    if stage == Stage.OUTLINE:
        form.outcome.choices = [
            SelectChoice("shortlisted", _l("Shortlisted (invited to a full proposal)")),
            SelectChoice("not_shortlisted", _l("Not shortlisted")),
        ]
    return form


class ActionForm(FlaskForm):
    """A button that changes state: CSRF-protected, nothing else."""


class CopyForm(FlaskForm):
    call_id = SelectField(_l("Call to apply to"), choices=[], validate_choice=True)
