"""Second-factor forms: shape only; codes are checked by funds.mfa.services."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, PasswordField, StringField
from wtforms.validators import DataRequired, Length


def _code_field(label):
    return StringField(
        label,
        validators=[DataRequired(), Length(max=20)],
        render_kw={"autocomplete": "one-time-code", "autocapitalize": "off", "spellcheck": "false"},
    )


class CodeForm(FlaskForm):
    """The second step of signing in: a code from the app, or a recovery code."""

    code = _code_field(_l("Code from your authenticator app, or a recovery code"))


class EnrolForm(FlaskForm):
    code = StringField(
        _l("The 6-digit code the app shows now"),
        validators=[DataRequired(), Length(max=10)],
        render_kw={"autocomplete": "one-time-code", "inputmode": "numeric"},
    )


class SavedForm(FlaskForm):
    saved = BooleanField(
        _l("I have saved these recovery codes somewhere safe"),
        validators=[DataRequired()],
        render_kw={"required": True},
    )
    next = HiddenField()


class ConfirmForm(FlaskForm):
    """Re-authentication before a sensitive action."""

    password = PasswordField(
        _l("Password"),
        validators=[DataRequired(), Length(max=128)],
        render_kw={"autocomplete": "current-password"},
    )
    code = _code_field(_l("Code from your authenticator app, or a recovery code"))


class ActionForm(FlaskForm):
    """A button that changes something (CSRF only)."""
