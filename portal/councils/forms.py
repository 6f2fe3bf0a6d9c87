"""Forms of the councils pages: forming a council, its rules, members, meetings, attendance."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from portal.forms import LocalDateTimeField


class CouncilForm(FlaskForm):
    kind = SelectField(_l("Kind of council"), choices=[], validators=[InputRequired()])
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=300)])
    call_id = SelectField(_l("Call (selection council)"), choices=[], validate_choice=False)
    award_id = SelectField(
        _l("Project (mid-term or acceptance council)"), choices=[], validate_choice=False
    )
    discipline = StringField(_l("Discipline (standing committee)"), validators=[Length(max=200)])
    formed_by = StringField(
        _l("Decision forming the council (number and date)"), validators=[Length(max=200)]
    )
    formed_on = DateField(_l("Formed on"), validators=[Optional()])


class AppointForm(FlaskForm):
    user_id = SelectField(_l("Member"), choices=[], validators=[InputRequired()])
    role = SelectField(_l("Role"), choices=[], validators=[InputRequired()])
    represents = SelectField(_l("Represents"), choices=[], validators=[InputRequired()])
    term_start = DateField(_l("Term starts (standing committee)"), validators=[Optional()])
    term_end = DateField(_l("Term ends"), validators=[Optional()])
    override_reason = TextAreaField(
        _l("Reason to appoint despite the eligibility warnings"), validators=[Length(max=2000)]
    )


class ReasonForm(FlaskForm):
    reason = StringField(_l("Reason"), validators=[Length(max=1000)])


class InviteForm(FlaskForm):
    name = StringField(_l("Full name"), validators=[DataRequired(), Length(max=200)])
    email = StringField(_l("E-mail"), validators=[DataRequired(), Length(max=254)])


class MeetingForm(FlaskForm):
    starts_at = LocalDateTimeField(_l("Starts at (Vietnam time)"), validators=[InputRequired()])
    mode = SelectField(_l("Held"), choices=[], validators=[InputRequired()])
    place = StringField(_l("Place"), validators=[Length(max=300)])
    link = StringField(_l("Link of the online meeting"), validators=[Length(max=500)])


class ItemForm(FlaskForm):
    subject = SelectField(_l("Proposal or project"), choices=[], validators=[InputRequired()])


class ConflictForm(FlaskForm):
    seat_id = SelectField(_l("Member"), choices=[], validate_choice=False)
    reason = StringField(_l("The conflict"), validators=[DataRequired(), Length(max=1000)])


class RulesForm(FlaskForm):
    min_members = IntegerField(
        _l("Members, at least"), validators=[InputRequired(), NumberRange(min=1, max=50)]
    )
    max_members = IntegerField(
        _l("Members, at most"), validators=[InputRequired(), NumberRange(min=1, max=50)]
    )
    required_roles = StringField(
        _l("Required roles"),
        validators=[Length(max=200)],
    )
    quorum_num = IntegerField(
        _l("Quorum: members present, numerator"),
        validators=[InputRequired(), NumberRange(min=1, max=100)],
    )
    quorum_den = IntegerField(
        _l("Quorum: denominator"), validators=[InputRequired(), NumberRange(min=1, max=100)]
    )
    quorum_needs_chair = BooleanField(_l("The chair must be present"))
    quorum_needs_secretary = BooleanField(_l("The secretary must be present"))
    pass_num = IntegerField(
        _l("Pass rule: share of those present, numerator"),
        validators=[InputRequired(), NumberRange(min=1, max=100)],
    )
    pass_den = IntegerField(
        _l("Pass rule: denominator"), validators=[InputRequired(), NumberRange(min=1, max=100)]
    )
    pass_strict = BooleanField(_l("More than the share (not at least)"))
    ballot = SelectField(_l("Ballot"), choices=[], validators=[InputRequired()])
    min_average_pct = IntegerField(
        _l("Mean score threshold (% of full marks, empty for none)"),
        validators=[Optional(), NumberRange(min=0, max=100)],
    )
    criterion_minimums = BooleanField(_l("No criterion mean below its threshold"))
    sheets_after_close = BooleanField(
        _l("Members see the others' rating sheets only after the item is closed")
    )
    term_years = IntegerField(
        _l("Term of a standing committee (years)"),
        validators=[InputRequired(), NumberRange(min=1, max=10)],
    )
    max_consecutive_terms = IntegerField(
        _l("Consecutive terms, at most"), validators=[InputRequired(), NumberRange(min=1, max=10)]
    )
    instrument = SelectField(_l("Legal instrument"), choices=[], validate_choice=False)
    article = StringField(_l("Article or rule relied on"), validators=[Length(max=120)])
