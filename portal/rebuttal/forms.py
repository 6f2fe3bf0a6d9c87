"""The response form: its shape only; the characters are counted by the domain
(reviews.rebuttal.rules.answer_violations), against the call's limit."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import TextAreaField
from wtforms.validators import Length

from funds.calls.rules import REBUTTAL_MAX_CHARS


class ResponseForm(FlaskForm):
    # twice the largest limit a call may set: beyond it the post is not a response at all
    text = TextAreaField(
        _l("Your response to the reviews"),
        validators=[Length(max=2 * (REBUTTAL_MAX_CHARS.maximum or 0))],
    )


class OpenForm(FlaskForm):
    """The manager's post that opens the response period (CSRF only)."""
