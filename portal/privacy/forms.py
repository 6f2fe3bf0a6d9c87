"""Personal-data forms (shape only; the rules are in funds.privacy)."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, Length

from portal.forms import choices, not_blank


class CorrectionForm(FlaskForm):
    name = StringField(_l("Full name"), validators=[DataRequired(), not_blank, Length(max=200)])
    institution = StringField(_l("Institution"), validators=[Length(max=300)])


class ActionForm(FlaskForm):
    """A confirmation button: only the CSRF token."""


class EraseOwnForm(FlaskForm):
    password = PasswordField(_l("Your password"), validators=[DataRequired(), Length(max=128)])
    confirm = EmailField(
        _l("Type your e-mail address to confirm"), validators=[DataRequired(), Length(max=254)]
    )


class FindPersonForm(FlaskForm):
    email = EmailField(
        _l("E-mail address of the person"), validators=[DataRequired(), Length(max=254)]
    )


class EraseForPersonForm(FlaskForm):
    channel = SelectField(
        _l("The request was received"),
        choices=choices(
            [("post", _l("by post")), ("email", _l("by e-mail")), ("in_person", _l("in person"))]
        ),
    )
    confirm = EmailField(
        _l("Type the person's e-mail address to confirm"),
        validators=[DataRequired(), Length(max=254)],
    )
