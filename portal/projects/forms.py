"""Forms of funded projects."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    DateField,
    IntegerField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from portal.forms import MoneyField


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
    quality_indicators = TextAreaField(
        _l("Committed final products and quality indicators"), validators=[Length(max=4000)]
    )


class MilestoneForm(FlaskForm):
    owner = StringField(_l("Owner"), validators=[DataRequired(), Length(max=200)])
    task = StringField(_l("Task"), validators=[DataRequired(), Length(max=1000)])
    due_date = DateField(_l("Due date"), validators=[InputRequired()])
    deliverable = StringField(
        _l("Measurable deliverable"), validators=[DataRequired(), Length(max=1000)]
    )
    tranche_vnd = MoneyField(_l("Payment tranche (đồng)"), validators=[Optional()])


class ReportForm(FlaskForm):
    milestone_id = SelectField(_l("Milestone reported"), choices=[], validate_choice=True)
    progress = TextAreaField(
        _l("Progress, outputs so far"), validators=[DataRequired(), Length(max=10000)]
    )
    spending_vnd = MoneyField(
        _l("Spending to date (đồng; not needed for lump sums)"), validators=[Optional()]
    )
    risks = TextAreaField(_l("Risks and changes needed"), validators=[Length(max=5000)])


class ChangeForm(FlaskForm):
    kind = SelectField(
        _l("Change"),
        choices=[
            SelectChoice("extension", _l("Time extension")),
            SelectChoice("budget_move", _l("Budget move between categories")),
            SelectChoice("pi_change", _l("Change of principal investigator")),
            SelectChoice("scope", _l("Change of scope")),
        ],
    )
    extension_days = IntegerField(
        _l("Days to add"), validators=[Optional(), NumberRange(min=1, max=730)]
    )
    reason = TextAreaField(_l("Reason"), validators=[DataRequired(), Length(max=5000)])


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


class FinalReportForm(FlaskForm):
    text = TextAreaField(_l("Final report"), validators=[DataRequired(), Length(max=20000)])
    used_vnd = MoneyField(_l("Funds used (đồng)"), validators=[InputRequired()])


class EvaluationForm(FlaskForm):
    rating = SelectField(
        _l("Rating"),
        choices=[
            SelectChoice("excellent", _l("Excellent")),
            SelectChoice("pass", _l("Pass")),
            SelectChoice("fail", _l("Fail")),
        ],
    )
    scores = StringField(_l("Criteria scores"), validators=[Length(max=2000)])
    procedures_followed = BooleanField(_l("Procedures were followed"))
    no_fraud = BooleanField(_l("There was no fraud"))
    no_intentional_breach = BooleanField(_l("The law was not intentionally broken"))
    funds_within_purpose = BooleanField(_l("Funds were used within the approved purpose and scope"))
    risk_category = SelectField(
        _l("Risk category"),
        choices=[
            SelectChoice("", "—"),
            SelectChoice("research_technology", _l("Research and technology risk")),
            SelectChoice("controlled_testing", _l("Controlled-testing risk")),
            SelectChoice("venture_investment", _l("Venture-investment risk")),
            SelectChoice("other", _l("Other")),
        ],
    )
    evidence = TextAreaField(_l("Evidence"), validators=[Length(max=5000)])
    expert_opinion = TextAreaField(_l("Independent expert opinion"), validators=[Length(max=5000)])
    lessons_learned = TextAreaField(_l("Lessons learned"), validators=[Length(max=10000)])
    publish_negative_results = BooleanField(_l("The team agrees to publish negative results"))


class ConfirmForm(FlaskForm):
    """A state-changing button: CSRF only."""


class OutputImportForm(FlaskForm):
    file = FileField(_l("CSV or XLSX file"), validators=[FileRequired()])
