"""Forms of the minutes and decisions pages: shape only; the rules are the domain's."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, RadioField, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from funds.projects.regimes.rules import Evaluation, Rating
from portal.forms import MoneyField
from portal.projects.forms import EvaluationForm


class GenerateForm(FlaskForm):
    language = SelectField(
        _l("Language"),
        choices=[SelectChoice("vi", _l("Vietnamese")), SelectChoice("en", _l("English"))],
        default="vi",
    )


class SignForm(FlaskForm):
    """The signer signs the version whose SHA-256 the page showed."""

    sha256 = HiddenField()


class ConfirmForm(FlaskForm):
    """A state-changing button: CSRF only."""


def decision_form(rows, **kwargs) -> FlaskForm:
    """The selection decision: the decision's number, then per item in the council's ranking
    an outcome (preset to the council's recommendation) and a reason for a departure."""

    class SelectionDecisionForm(FlaskForm):
        number = StringField(_l("Decision number"), validators=[Length(max=80)])

    for row in rows:
        setattr(
            SelectionDecisionForm,
            f"outcome_{row.item.id}",
            RadioField(
                _l("Decision"),
                choices=[
                    SelectChoice("funded", _l("Funded")),
                    SelectChoice("not_funded", _l("Not funded")),
                ],
                default="funded" if row.recommended else "not_funded",
                validate_choice=False,
            ),
        )
        setattr(
            SelectionDecisionForm,
            f"reason_{row.item.id}",
            TextAreaField(
                _l("Reason for departing from the recommendation"),
                validators=[Length(max=2000)],
            ),
        )
    return SelectionDecisionForm(**kwargs)


def outcomes_of(form, rows) -> dict[int, tuple[str, str]]:
    return {
        r.item.id: (
            form[f"outcome_{r.item.id}"].data or "",
            form[f"reason_{r.item.id}"].data or "",
        )
        for r in rows
    }


class SelfEvaluationForm(FlaskForm):
    """The host organisation's self-evaluation, recorded by the PI on its behalf."""

    rating = SelectField(
        _l("The host organisation's rating"),
        choices=[
            SelectChoice("", _l("— choose —")),
            SelectChoice("excellent", _l("Excellent")),
            SelectChoice("pass", _l("Pass")),
            SelectChoice("fail", _l("Fail")),
        ],
        validators=[InputRequired()],
    )
    evidence = TextAreaField(
        _l("Evidence: results, documents and measurements (one per line)"),
        validators=[Length(max=10000)],
    )
    host = StringField(_l("Host organisation"), validators=[Length(max=300)])


class StopForm(EvaluationForm):
    """Stopping a project on its mid-term council's "stop": the funds used so far and the
    closeout regime's answers and evidence (a stopped task did not reach its results)."""

    item_id = None
    used_vnd = MoneyField(_l("Funds used so far (đồng)"), validators=[Optional()])

    def stop_evaluation(self) -> Evaluation:
        return self.evaluation([], rating=Rating.FAIL)
