"""Sign-in and registration forms: shape only; the rules live in funds.accounts."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, StringField
from wtforms.validators import DataRequired, Email, EqualTo, Length, Optional, Regexp


class LoginForm(FlaskForm):
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=128)])


class RegisterForm(FlaskForm):
    name = StringField(_l("Full name"), validators=[DataRequired(), Length(max=200)])
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Email(), Length(max=254)])
    institution = StringField(_l("Institution"), validators=[DataRequired(), Length(max=300)])
    orcid = StringField(
        _l("ORCID iD (optional)"),
        validators=[
            Optional(),
            Regexp(
                r"^\d{4}-\d{4}-\d{4}-\d{3}[\dX]$",
                message=_l("An ORCID iD looks like 0000-0002-1825-0097."),
            ),
        ],
    )
    password = PasswordField(
        _l("Password (at least 12 characters)"),
        validators=[DataRequired(), Length(min=12, max=128)],
    )
    confirm = PasswordField(
        _l("Repeat the password"),
        validators=[EqualTo("password", message=_l("The passwords differ."))],
    )
    consent = BooleanField(
        _l(
            "I have read the privacy notice and consent to the processing of my personal data "
            "as it describes (Law 91/2025/QH15 on Personal Data Protection)."
        ),
        default=False,
    )


class EmailOnlyForm(FlaskForm):
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Email(), Length(max=254)])


class LinkForm(FlaskForm):
    """The secret of an e-mailed link: filled from the link by the page's script, or pasted."""

    token = StringField(_l("Code from the e-mail"), validators=[DataRequired(), Length(max=100)])


class NewPasswordForm(FlaskForm):
    password = PasswordField(
        _l("New password (at least 12 characters)"),
        validators=[DataRequired(), Length(min=12, max=128)],
    )
    confirm = PasswordField(
        _l("Repeat the password"),
        validators=[EqualTo("password", message=_l("The passwords differ."))],
    )


class ChangePasswordForm(NewPasswordForm):
    current = PasswordField(_l("Current password"), validators=[DataRequired(), Length(max=128)])


class ChangeEmailForm(FlaskForm):
    email = EmailField(
        _l("New e-mail address"), validators=[DataRequired(), Email(), Length(max=254)]
    )
    password = PasswordField(_l("Current password"), validators=[DataRequired(), Length(max=128)])
