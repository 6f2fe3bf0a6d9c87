"""The rating sheet form, built at runtime from the item's criteria and indicators (as the
review form is built from the call's rubric), the ballot and the close-vote form."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, IntegerField, RadioField, SelectChoice, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from portal.bounds import INT_MAX
from portal.council_work.labels import choice_label, sheet_criterion


def sheet_form_class(criteria, indicators):
    """A score per criterion, met / not met and the value seen per indicator, an opinion."""

    class SheetForm(FlaskForm):
        opinion = TextAreaField(_l("Your opinion"), validators=[Length(max=20000)])
        version_id = IntegerField(
            widget=HiddenField.widget, validators=[Optional(), NumberRange(min=0, max=INT_MAX)]
        )

    for c in criteria:
        setattr(
            SheetForm,
            f"score_{c.id}",
            IntegerField(
                _(
                    "%(name)s (0–%(max)s, weight %(weight)s)",
                    name=sheet_criterion(c.name),
                    max=c.scale_max,
                    weight=c.weight,
                ),
                validators=[Optional(), NumberRange(min=0, max=c.scale_max)],
            ),
        )
    for i in indicators:
        setattr(
            SheetForm,
            f"indicator_{i.id}",
            RadioField(
                _("%(product)s: %(name)s", product=i.product, name=i.name),
                choices=[
                    SelectChoice("met", _l("Met")),
                    SelectChoice("not_met", _l("Not met")),
                ],
                validators=[Optional()],
            ),
        )
        setattr(
            SheetForm,
            f"measured_{i.id}",
            StringField(_l("Value seen"), validators=[Length(max=200)]),
        )
    return SheetForm


def sheet_values(form, criteria, indicators) -> tuple[dict, dict]:
    """(scores, indicator checks) as save_sheet takes them."""
    scores = {c.id: form[f"score_{c.id}"].data for c in criteria}
    met = {"met": True, "not_met": False}
    checks = {
        i.id: {
            "met": met.get(form[f"indicator_{i.id}"].data or ""),
            "measured": form[f"measured_{i.id}"].data or "",
        }
        for i in indicators
    }
    return scores, checks


def ballot_form(choices):
    class BallotForm(FlaskForm):
        choice = RadioField(
            _l("Your vote"),
            choices=[SelectChoice(str(c), choice_label(str(c))) for c in choices],
            validators=[InputRequired(message=_l("Choose one answer."))],
        )

    return BallotForm()


class CloseForm(FlaskForm):
    requested_changes = TextAreaField(
        _l("Changes the council requests"), validators=[Length(max=5000)]
    )
    dissent = TextAreaField(
        _l("Dissenting opinions, for the minutes"), validators=[Length(max=5000)]
    )
