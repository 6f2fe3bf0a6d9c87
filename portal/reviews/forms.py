"""Review and assignment forms."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, IntegerField, SelectField, TextAreaField
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from reviews.models import SCORE_MAX, SCORE_MIN


class ReviewForm(FlaskForm):
    score = IntegerField(
        _l("Overall score (%(lo)s–%(hi)s)", lo=SCORE_MIN, hi=SCORE_MAX),
        validators=[Optional(), NumberRange(min=SCORE_MIN, max=SCORE_MAX)])
    comment = TextAreaField(_l("Comments to the applicant and the fund"),
                            validators=[Length(max=20000)])
    version_id = IntegerField(widget=HiddenField.widget, validators=[Optional()])


class AssignForm(FlaskForm):
    reviewer_id = SelectField(_l("Reviewer"), coerce=int, choices=[],
                              validators=[InputRequired()])
