"""Forms of decision letters: the fund's template (letterhead, signature block, the two
texts) and the selection of decisions to send."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField, TextAreaField
from wtforms.validators import InputRequired, Length


class LetterTemplateForm(FlaskForm):
    issuer = StringField(
        _l("Issuing body above the fund's name (e.g. the line ministry)"),
        validators=[Length(max=300)],
    )
    place = StringField(_l("Place of issue"), validators=[Length(max=100)])
    signatory_name = StringField(_l("Signed by (name)"), validators=[Length(max=200)])
    signatory_title = StringField(_l("Signatory's title"), validators=[Length(max=200)])
    body = TextAreaField(
        _l("Letter to a proposal funded"), validators=[InputRequired(), Length(max=50000)]
    )
    body_not_funded = TextAreaField(
        _l("Letter to a proposal not funded"), validators=[InputRequired(), Length(max=50000)]
    )
    note = TextAreaField(_l("What changed"), validators=[Length(max=2000)])


class CsrfForm(FlaskForm):
    """A post whose fields are read from the request (the selected decisions)."""
