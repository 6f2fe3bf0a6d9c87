"""Forms of funded projects."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    DateField,
    FieldList,
    Form,
    FormField,
    IntegerField,
    RadioField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from funds.projects.changes.rules import KIND_LABELS as CHANGE_KINDS
from funds.projects.regimes.rules import Answer, Cause, Conditions, Evaluation, Rating
from funds.projects.regimes.services import CommittedIndicator
from portal.forms import MoneyField
from portal.proposals.sections import BUDGET_LABELS


def _categories() -> list[SelectChoice]:
    """The budget categories (funds.proposals.models.BudgetCategory), named in the UI."""
    return [SelectChoice(c, label) for c, label in BUDGET_LABELS.items()]


class IndicatorRowForm(Form):
    """One committed quality indicator of a lump-sum product (a row of AwardForm)."""

    product = StringField(_l("Final product"), validators=[Length(max=500)])
    name = StringField(_l("Quality indicator"), validators=[Length(max=1000)])
    target = StringField(_l("Target value"), validators=[Length(max=100)])
    unit = StringField(_l("Unit"), validators=[Length(max=40)])


class AwardForm(FlaskForm):
    contract_number = StringField(
        _l("Contract number"), validators=[DataRequired(), Length(max=60)]
    )
    contract_date = DateField(_l("Contract date"), validators=[InputRequired()])
    start_date = DateField(_l("Start date"), validators=[InputRequired()])
    end_date = DateField(_l("End date"), validators=[InputRequired()])
    funding_mode = SelectField(
        _l("Funding mode"),
        choices=[
            SelectChoice("itemised", _l("Itemised")),
            SelectChoice("lump_sum", _l("Lump sum to final product")),
        ],
    )
    # Lump sum: each final product's quality indicators as committed in the contract (blank
    # rows are ignored; funds.projects.regimes checks that a lump sum commits at least one).
    indicators = FieldList(FormField(IndicatorRowForm), min_entries=5, max_entries=30)
    allocation_override = TextAreaField(
        _l("Reason to go past the fund's allocation (only if it would go negative)"),
        validators=[Length(max=2000)],
    )

    def committed_indicators(self) -> list[CommittedIndicator]:
        """The rows typed, blank ones left out."""
        typed = [
            [(e.form[name].data or "").strip() for name in ("product", "name", "target", "unit")]
            for e in self.indicators.entries
        ]
        return [CommittedIndicator(*row) for row in typed if any(row)]


class MilestoneForm(FlaskForm):
    owner = StringField(_l("Owner"), validators=[DataRequired(), Length(max=200)])
    task = StringField(_l("Task"), validators=[DataRequired(), Length(max=1000)])
    due_date = DateField(_l("Due date"), validators=[InputRequired()])
    deliverable = StringField(
        _l("Measurable deliverable"), validators=[DataRequired(), Length(max=1000)]
    )
    tranche_vnd = MoneyField(_l("Payment tranche (đồng)"), validators=[Optional()])


class ReportForm(FlaskForm):
    # The milestone the report is for, or "none" said explicitly (portal.projects.views):
    # never a default, so a report never releases no tranche silently.
    milestone_id = SelectField(
        _l("Milestone reported"),
        choices=[],
        validate_choice=True,
        validators=[DataRequired(message=_l("Choose the milestone this report is for, or none."))],
    )
    progress = TextAreaField(
        _l("Progress, outputs so far"), validators=[DataRequired(), Length(max=10000)]
    )
    spending_vnd = MoneyField(
        _l("Spending to date (đồng; not needed for lump sums)"), validators=[Optional()]
    )
    risks = TextAreaField(_l("Risks and changes needed"), validators=[Length(max=5000)])


class ChangeForm(FlaskForm):
    """A change request; the fields that matter depend on its kind (the page groups them)."""

    kind = SelectField(
        _l("Change"),
        choices=[SelectChoice(str(k), _l(label)) for k, label in CHANGE_KINDS.items()],
    )
    extension_days = IntegerField(
        _l("Days to add"), validators=[Optional(), NumberRange(min=1, max=730)]
    )
    new_pi_email = StringField(
        _l("E-mail address of the new principal investigator's account"),
        validators=[Optional(), Length(max=254)],
    )
    # the register's organisations are the choices (portal.projects.views._change_form)
    new_host_id = SelectField(
        _l("New host organisation"), choices=[SelectChoice("", "—")], default=""
    )

    def with_hosts(self, hosts) -> "ChangeForm":
        """Offer the register's organisations for a change of host."""
        self.new_host_id.choices = [SelectChoice("", "—")] + [
            SelectChoice(str(h.id), h.name_vi) for h in hosts
        ]
        return self

    from_category = SelectField(
        _l("From category"), choices=[SelectChoice("", "—"), *_categories()], default=""
    )
    to_category = SelectField(
        _l("To category"), choices=[SelectChoice("", "—"), *_categories()], default=""
    )
    move_year = IntegerField(
        _l("Fiscal year"), validators=[Optional(), NumberRange(min=1990, max=2200)]
    )
    amount_vnd = MoneyField(_l("Amount moved (đồng)"), validators=[Optional()])
    used_vnd = MoneyField(_l("Funds used so far (đồng)"), validators=[Optional()])
    reason = TextAreaField(_l("Reason"), validators=[DataRequired(), Length(max=5000)])


class ChangeDecisionForm(FlaskForm):
    """The fund's decision on a change request: the annex's words and, for a stop, the funds
    used so far."""

    note = TextAreaField(_l("Annex text (optional)"), validators=[Length(max=5000)])
    used_vnd = MoneyField(_l("Funds used so far (đồng)"), validators=[Optional()])


class OutputForm(FlaskForm):
    kind = SelectField(
        _l("Kind"),
        choices=[
            SelectChoice("publication", _l("Publication")),
            SelectChoice("patent_application", _l("Patent application")),
            SelectChoice("patent_grant", _l("Patent granted")),
            SelectChoice("licence", _l("Licence")),
            SelectChoice("transfer", _l("Technology transfer")),
            SelectChoice("spin_off", _l("Spin-off company")),
            SelectChoice("own_production", _l("Own production")),
            SelectChoice("product", _l("Product or prototype")),
            SelectChoice("revenue", _l("Commercialisation revenue")),
        ],
    )
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=1000)])
    year = IntegerField(_l("Year"), validators=[InputRequired(), NumberRange(min=1990, max=2200)])
    international = BooleanField(_l("International"))
    reference = StringField(_l("DOI, number or registration"), validators=[Length(max=500)])
    value_vnd = MoneyField(_l("Value (đồng)"), validators=[Optional()])
    evidence = StringField(
        _l("Evidence (link or document reference)"), validators=[Length(max=2000)]
    )
    # The project's granted patents are the choices (portal.projects.views.output_form).
    exploits = SelectField(
        _l("Granted patent it exploits (licence, transfer, spin-off, own production)"),
        choices=[SelectChoice("", "—")],
        validators=[Optional()],
    )

    def with_patents(self, patents) -> "OutputForm":
        """Offer the project's granted patents to link an exploitation to."""
        self.exploits.choices = [SelectChoice("", "—")] + [
            SelectChoice(str(p.id), f"{p.title} ({p.year})") for p in patents
        ]
        return self

    def exploits_id(self) -> int | None:
        return int(self.exploits.data) if self.exploits.data else None


class PatentLinkForm(FlaskForm):
    """Link a recorded exploitation to the granted patent it exploits."""

    exploits = SelectField(
        _l("Granted patent it exploits"), choices=[SelectChoice("", "—")], validators=[Optional()]
    )

    with_patents = OutputForm.with_patents
    exploits_id = OutputForm.exploits_id


class FinalReportForm(FlaskForm):
    text = TextAreaField(_l("Final report"), validators=[DataRequired(), Length(max=20000)])
    used_vnd = MoneyField(_l("Funds used (đồng)"), validators=[InputRequired()])


def _answer(value) -> str | None:
    """A radio answer, or None when none was chosen (never a default)."""
    return None if value in (None, "", "None") else str(value)


def _condition(label) -> RadioField:
    """One of the four conditions: answered yes, no or not assessed; never defaulted (the
    domain refuses a failed project with a condition unanswered, at its field)."""
    return RadioField(
        label,
        choices=[
            SelectChoice("yes", _l("Yes")),
            SelectChoice("no", _l("No")),
            SelectChoice("not_assessed", _l("Not assessed")),
        ],
        coerce=_answer,
        validate_choice=False,
    )


class EvaluationForm(FlaskForm):
    # The rating is the acceptance council's concluded item (reviews.councils.decisions):
    # the form names the item it follows, never a rating of its own.
    item_id = SelectField(
        _l("The acceptance council's conclusion this closeout follows"),
        choices=[],
        validators=[InputRequired()],
    )
    scores = StringField(_l("Criteria scores"), validators=[Length(max=2000)])
    procedures_followed = _condition(_l("Procedures were followed"))
    no_fraud = _condition(_l("There was no fraud"))
    no_intentional_breach = _condition(_l("The law was not intentionally broken"))
    funds_within_purpose = _condition(_l("Funds were used within the approved purpose and scope"))
    outside_purpose_vnd = MoneyField(
        _l("Amount used outside the approved purpose or scope (đồng)"), validators=[Optional()]
    )
    outside_purpose_evidence = TextAreaField(
        _l("Evidence of the amount used outside the approved purpose or scope"),
        validators=[Length(max=5000)],
    )
    failure_cause = RadioField(
        _l("Cause of the failure (contracts under the earlier rules)"),
        choices=[
            SelectChoice("objective", _l("Objective cause")),
            SelectChoice("subjective", _l("Subjective cause")),
        ],
        coerce=_answer,
        validate_choice=False,
    )
    conclusion = TextAreaField(
        _l("Conclusion of the acceptance council"), validators=[Length(max=5000)]
    )
    risk_category = SelectField(
        _l("Risk category"),
        default="",
        choices=[
            SelectChoice("", "—"),
            SelectChoice("research_technology", _l("Research and technology risk")),
            SelectChoice("controlled_testing", _l("Controlled-testing risk")),
            SelectChoice("venture_investment", _l("Venture-investment risk")),
            SelectChoice("other", _l("Other")),
        ],
    )
    evidence = TextAreaField(
        _l("Documents showing the procedure was followed (one per line)"),
        validators=[Length(max=5000)],
    )
    expert_opinion = TextAreaField(_l("Independent expert opinion"), validators=[Length(max=5000)])
    lessons_learned = TextAreaField(_l("Lessons learned"), validators=[Length(max=10000)])
    publish_negative_results = BooleanField(_l("The team agrees to publish negative results"))

    def evaluation(self, indicator_ids, rating: Rating) -> Evaluation:
        """The answers as the domain takes them (indicator checks from the rows added by
        evaluation_form), with the council's `rating`."""
        met = {i: _met(getattr(self, f"indicator_{i}").data) for i in indicator_ids}
        return Evaluation(
            rating=rating,
            conditions=Conditions(
                *(
                    Answer(a) if a else None
                    for a in (
                        self.procedures_followed.data,
                        self.no_fraud.data,
                        self.no_intentional_breach.data,
                        self.funds_within_purpose.data,
                    )
                )
            ),
            cause=Cause(self.failure_cause.data) if self.failure_cause.data else None,
            outside_purpose_vnd=self.outside_purpose_vnd.data or 0,
            outside_purpose_evidence=self.outside_purpose_evidence.data or "",
            evidence=self.evidence.data or "",
            conclusion=self.conclusion.data or "",
            indicators=met,
            measured={i: getattr(self, f"measured_{i}").data or "" for i in indicator_ids},
        )


def _met(value: str | None) -> bool | None:
    return None if value is None else value == "met"


def evaluation_form(indicators, **kwargs) -> EvaluationForm:
    """The evaluation form with one check (met / not met, measured value) per committed
    quality indicator of the project (Indico's make_review_form: fields from data)."""

    class ProjectEvaluationForm(EvaluationForm):
        pass

    for i in indicators:
        label = f"{i.product} — {i.name}" + (f" ({i.target} {i.unit})".rstrip() if i.target else "")
        setattr(
            ProjectEvaluationForm,
            f"indicator_{i.id}",
            RadioField(
                label,
                choices=[SelectChoice("met", _l("Met")), SelectChoice("not_met", _l("Not met"))],
                coerce=_answer,
                validate_choice=False,
            ),
        )
        setattr(
            ProjectEvaluationForm,
            f"measured_{i.id}",
            StringField(_l("Measured value"), validators=[Length(max=200)]),
        )
    return ProjectEvaluationForm(**kwargs)


class RegimeForm(FlaskForm):
    """A transitional override of the closeout regime, with its reason."""

    regime_code = SelectField(_l("Closeout regime"), choices=[], validate_choice=True)
    reason = TextAreaField(_l("Reason for the transitional case"), validators=[Length(max=2000)])


class ConfirmForm(FlaskForm):
    """A state-changing button: CSRF only."""


class OutputImportForm(FlaskForm):
    file = FileField(_l("CSV or XLSX file"), validators=[FileRequired()])
