"""Overlap forms (shape only)."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import IntegerField, RadioField, TextAreaField
from wtforms.validators import InputRequired, Length, NumberRange

from funds.limits.rules import FUND_SETTINGS
from portal.forms import choices
from reviews.overlap.models import OverlapDecision
from reviews.overlap.rules import DECISION_LABELS, NOTE_MAX_CHARS


class DecisionForm(FlaskForm):
    decision = RadioField(
        _l("Decision"),
        choices=choices((str(d), _l(DECISION_LABELS[d])) for d in OverlapDecision),
        validators=[InputRequired(_l("Choose a decision."))],
    )
    note = TextAreaField(_l("Note"), validators=[Length(max=NOTE_MAX_CHARS)])


class RegisterForm(FlaskForm):
    file = FileField(_l("Register file (CSV)"), validators=[FileRequired(_l("Choose a file."))])


class ActionForm(FlaskForm):
    """A button's post (CSRF only)."""


def _setting_field(setting):
    return IntegerField(
        _l(setting.label),
        default=setting.default,
        validators=[
            InputRequired(_l("Enter a number.")),
            NumberRange(
                min=setting.minimum,
                max=setting.maximum,
                message=_l("Enter a number from %(min)s to %(max)s."),
            ),
        ],
    )


class LimitsForm(FlaskForm):
    max_led_proposals = _setting_field(FUND_SETTINGS[0])
    max_active_projects = _setting_field(FUND_SETTINGS[1])
    overlap_threshold_pct = _setting_field(FUND_SETTINGS[2])
