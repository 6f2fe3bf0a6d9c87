"""Forms of the review management pages."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DecimalField, IntegerField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional


class RubricSettingsForm(FlaskForm):
    total_threshold = IntegerField(
        _l("Total threshold (% of full marks)"),
        validators=[InputRequired(), NumberRange(min=0, max=100)],
    )
    per_proposal = IntegerField(
        _l("Reviewers per proposal"), validators=[InputRequired(), NumberRange(min=1, max=20)]
    )
    show_others_after_submit = BooleanField(
        _l("Reviewers see the other reviews after submitting their own")
    )
    blind = BooleanField(
        _l("Blind review: reviewers do not see the applicant, the team or the host organisation")
    )


class CriterionForm(FlaskForm):
    name = StringField(_l("Criterion"), validators=[DataRequired(), Length(max=200)])
    description = TextAreaField(_l("Description"), validators=[Length(max=2000)])
    weight = IntegerField(_l("Weight"), validators=[InputRequired(), NumberRange(min=1, max=100)])
    scale_max = IntegerField(
        _l("Scale (0 to)"), validators=[InputRequired(), NumberRange(min=2, max=100)]
    )
    threshold = IntegerField(_l("Threshold"), validators=[InputRequired(), NumberRange(min=0)])


class AssignRunForm(FlaskForm):
    fairness = DecimalField(
        _l("Fairness tolerance (%), empty for plain optimum"),
        places=1,
        validators=[Optional(), NumberRange(min=0, max=50)],
    )


class ReasonForm(FlaskForm):
    reason = StringField(_l("Reason"), validators=[DataRequired(), Length(max=2000)])


class ConsensusForm(FlaskForm):
    text = TextAreaField(_l("Consensus report"), validators=[DataRequired(), Length(max=20000)])
    approve = BooleanField(_l("Approve the report"))


class InviteForm(FlaskForm):
    name = StringField(_l("Full name"), validators=[DataRequired(), Length(max=200)])
    email = StringField(_l("E-mail"), validators=[DataRequired(), Length(max=254)])


def anchors_form(criterion, anchors: dict[int, str], formdata=None):
    """One text per level of the criterion's scale: what a 0, a 1… a 5 means."""

    class AnchorsForm(FlaskForm):
        pass

    for level in range(criterion.scale_max + 1):
        setattr(
            AnchorsForm,
            f"level_{level}",
            TextAreaField(
                _l("What %(level)s means", level=level),
                default=anchors.get(level, ""),
                validators=[Length(max=1000)],
            ),
        )
    return AnchorsForm(formdata=formdata, prefix="")
