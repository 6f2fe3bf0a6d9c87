"""Forms of contracts: the draft's terms (dates, funding mode, products with their quality
indicators one per line, the tranche of each approved work package), a signature on the hash
shown, a cancellation's reason, the fund's template."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, HiddenField, SelectChoice, SelectField, TextAreaField
from wtforms.validators import InputRequired, Length, ValidationError

from funds.contracts.services import ProductTerm
from portal.forms import parse_vnd

MODES = [
    SelectChoice("itemised", _l("Itemised")),
    SelectChoice("lump_sum", _l("Lump sum to the final product")),
]


class CsrfForm(FlaskForm):
    """A button's post: the CSRF token only."""


class TermsForm(FlaskForm):
    start_date = DateField(_l("Start date"), validators=[InputRequired()])
    end_date = DateField(_l("End date"), validators=[InputRequired()])
    funding_mode = SelectField(_l("Funding mode"), choices=MODES)
    products = TextAreaField(
        _l("Products and quality indicators (one per line: product | indicator | target | unit)"),
        validators=[Length(max=20000)],
    )

    def validate_products(self, field) -> None:
        for line in (field.data or "").splitlines():
            if line.strip() and len(list(line.split("|"))) < 2:
                raise ValidationError(_("Write each line as: product | indicator | target | unit."))

    def product_terms(self) -> list[ProductTerm]:
        found = []
        for line in (self.products.data or "").splitlines():
            if not line.strip():
                continue
            parts = [p.strip() for p in line.split("|")] + ["", ""]
            found.append(
                ProductTerm(parts[0][:500], parts[1][:1000], parts[2][:100], parts[3][:40])
            )
        return found


def products_text(products) -> str:
    return "\n".join(
        " | ".join(x for x in (p.product, p.indicator, p.target, p.unit)) for p in products
    )


def read_tranches(form, line_ids) -> tuple[dict[int, int], dict[str, str]]:
    """The tranche typed for each approved work package (t-<line id>)."""
    found, errors = {}, {}
    for i in line_ids:
        raw = form.get(f"t-{i}", "").strip()
        try:
            found[i] = parse_vnd(raw) if raw else 0
        except ValueError as exc:
            errors[f"t-{i}"] = str(exc)
    return found, errors


class SignForm(FlaskForm):
    sha256 = HiddenField(validators=[InputRequired()])
    allocation_override = TextAreaField(
        _l("Reason to go past the fund's allocation (only if it would go negative)"),
        validators=[Length(max=2000)],
    )


class CancelForm(FlaskForm):
    reason = TextAreaField(_l("Reason"), validators=[InputRequired(), Length(max=2000)])


class TemplateForm(FlaskForm):
    body = TextAreaField(_l("Contract text"), validators=[InputRequired(), Length(max=100000)])
    note = TextAreaField(_l("What changed"), validators=[Length(max=2000)])
