"""Forms of the publishing pages: a fund's published fields, a new API token."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, IntegerField, SelectField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange

from funds.publication.rules import OPTIONAL_FIELDS
from funds.publication.services import SCOPES, TOKEN_MAX_DAYS
from portal.forms import choices

FIELD_LABELS = {
    "pi_name": _l("Principal investigator's name"),
    "amount": _l("Amount of state funding"),
    "abstract": _l("Abstract"),
    "outputs": _l("Results (publications, patents, products)"),
    "rating": _l("Acceptance rating"),
    "output_value": _l("Value of licences and sales"),
}
SCOPE_LABELS = {
    "restricted_fields": _l("The fund's projects with every field, public or not"),
    "compliance": _l("The budget compliance report"),
}


def fields_form(chosen: frozenset[str], formdata=None) -> FlaskForm:
    """One box per optional field, ticked when the fund publishes it."""

    class FieldsForm(FlaskForm):
        pass

    for spec in OPTIONAL_FIELDS:
        setattr(FieldsForm, spec.name, BooleanField(FIELD_LABELS[spec.name]))
    form = FieldsForm(formdata=formdata) if formdata is not None else FieldsForm()
    if formdata is None:
        for spec in OPTIONAL_FIELDS:
            getattr(form, spec.name).data = spec.name in chosen
    return form


class TokenForm(FlaskForm):
    fund_id = SelectField(_l("Fund"), coerce=int)
    name = StringField(
        _l("Name (what the token is for)"), validators=[DataRequired(), Length(max=120)]
    )
    scope = SelectField(_l("Scope"), choices=choices(SCOPE_LABELS.items()))
    days = IntegerField(
        _l("Valid for (days)"),
        default=90,
        validators=[InputRequired(), NumberRange(min=1, max=TOKEN_MAX_DAYS)],
    )


assert set(SCOPE_LABELS) == set(SCOPES)
