"""The criteria form: one row per criterion (order, name, description, weight, scale,
minimum, remove) and two empty rows to add one; the basis of the change."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    FieldList,
    Form,
    FormField,
    IntegerField,
    StringField,
    TextAreaField,
)
from wtforms.validators import Length, NumberRange, Optional

BLANK_ROWS = 2


class CriterionRow(Form):
    """A criterion as typed; a row without a name is left out (the empty rows to add one)."""

    position = IntegerField(_l("Order"), validators=[Optional(), NumberRange(min=1, max=99)])
    name = StringField(_l("Criterion"), validators=[Length(max=200)])
    description = TextAreaField(_l("What it covers"), validators=[Length(max=2000)])
    weight = IntegerField(_l("Weight"), validators=[Optional(), NumberRange(min=1, max=100)])
    scale_max = IntegerField(
        _l("Scale (0 to)"), validators=[Optional(), NumberRange(min=2, max=100)]
    )
    threshold = IntegerField(
        _l("Minimum score"), validators=[Optional(), NumberRange(min=0, max=100)]
    )
    remove = BooleanField(_l("Remove this criterion"))


class CriteriaForm(FlaskForm):
    rows = FieldList(FormField(CriterionRow), max_entries=40)
    basis = StringField(
        _l("Legal basis or the fund's own rule (e.g. Circular 11/2014/TT-BKHCN, Art. 5)"),
        validators=[Length(max=300)],
    )
