"""Review, declaration and assignment forms; the rubric form is built from the call's rubric."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    HiddenField,
    IntegerField,
    PasswordField,
    RadioField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import EqualTo, InputRequired, Length, NumberRange, Optional

from portal.bounds import INT_MAX
from portal.reviews.labels import criterion_text
from reviews.assignment.models import SCORE_MAX, SCORE_MIN


class ReviewForm(FlaskForm):
    score = IntegerField(
        _l("Overall score (%(lo)s–%(hi)s)", lo=SCORE_MIN, hi=SCORE_MAX),
        validators=[Optional(), NumberRange(min=SCORE_MIN, max=SCORE_MAX)],
    )
    comment = TextAreaField(
        _l("Comments to the applicant and the fund"), validators=[Length(max=20000)]
    )
    version_id = IntegerField(
        widget=HiddenField.widget, validators=[Optional(), NumberRange(min=0, max=INT_MAX)]
    )


RADIO_SCALE_MAX = 10  # up to 0–10 each level is a labelled choice; longer scales a number


def _score_field(c, anchors: dict[int, str]):
    """Each level a radio labelled with what it means (the rubric's anchor), so the
    description is the option's own label; a long scale is a number to type."""
    label = f"{criterion_text(c.name)} (0–{c.scale_max}, ×{c.weight})"
    if c.scale_max > RADIO_SCALE_MAX:
        return IntegerField(label, validators=[Optional(), NumberRange(min=0, max=c.scale_max)])
    levels = [
        SelectChoice(level, f"{level} — {anchors[level]}" if anchors.get(level) else str(level))
        for level in range(c.scale_max + 1)
    ]
    return RadioField(label, choices=levels, coerce=int, validators=[Optional()])


def rubric_form(criteria, data=None, anchors=None):
    """A form with a score and a comment per criterion (Indico's make_review_form)."""
    anchors = anchors or {}

    class RubricForm(FlaskForm):
        comment = TextAreaField(
            _l("Overall comments to the applicant and the fund"), validators=[Length(max=20000)]
        )

    for c in criteria:
        setattr(RubricForm, f"score_{c.id}", _score_field(c, anchors.get(c.id, {})))
        setattr(
            RubricForm,
            f"comment_{c.id}",
            TextAreaField(
                _("Comment on %(name)s", name=criterion_text(c.name)),
                validators=[Length(max=10000)],
            ),
        )
    return RubricForm(data=data)


class DeclarationForm(FlaskForm):
    conflict = RadioField(
        _l("Conflict of interest"),
        choices=[
            SelectChoice("no", _l("I have no conflict of interest with this proposal")),
            SelectChoice("yes", _l("I have a conflict of interest")),
        ],
        validators=[InputRequired()],
    )
    reason = TextAreaField(_l("If so, what is it?"), validators=[Length(max=2000)])


class DeclineForm(FlaskForm):
    reason = TextAreaField(_l("Why do you decline?"), validators=[Length(max=500)])


class ProfileForm(FlaskForm):
    keywords = TextAreaField(
        _l("Expertise keywords (separated by ;)"), validators=[Length(max=2000)]
    )
    areas = SelectMultipleField(_l("Strategic areas"), choices=[], validate_choice=True)
    languages = StringField(_l("Languages of review"), validators=[Length(max=50)])
    max_load = IntegerField(
        _l("Most proposals per call"), validators=[InputRequired(), NumberRange(min=0, max=50)]
    )
    available = BooleanField(_l("Available for new assignments"))


class BidForm(FlaskForm):
    level = SelectField(
        _l("Your interest"),
        choices=[
            SelectChoice("eager", _l("Eager")),
            SelectChoice("willing", _l("Willing")),
            SelectChoice("not_willing", _l("Not willing")),
        ],
        validators=[InputRequired()],
    )


class AssignForm(FlaskForm):
    reviewer_id = SelectField(_l("Reviewer"), coerce=int, choices=[], validators=[InputRequired()])


class JoinPoolForm(FlaskForm):
    """A signed-in person joins the pool: only the confidentiality statement is asked."""

    confidentiality = BooleanField(
        _l("I accept the confidentiality statement above"), default=False
    )


class AcceptInvitationForm(JoinPoolForm):
    """A new expert: their own name, institution and password."""

    name = StringField(_l("Full name"), validators=[InputRequired(), Length(max=200)])
    institution = StringField(_l("Institution"), validators=[Length(max=300)])
    password = PasswordField(
        _l("Password (at least 12 characters)"),
        validators=[InputRequired(), Length(min=12, max=128)],
    )
    confirm = PasswordField(
        _l("Repeat the password"),
        validators=[EqualTo("password", message=_l("The passwords differ."))],
    )
