"""Pure rules of decision letters: the placeholders a letter may use, its number, the values
filled in, and the check a manager's selection passes before the letters are issued."""

from collections.abc import Sequence
from dataclasses import dataclass

from funds import templating
from funds.errors import N_
from funds.rules import Violation

# ${name} placeholders of a decision letter (funds.templating: nothing else is evaluated).
PLACEHOLDERS = {
    "letter_number": N_("the letter's number (QĐ-<fund>-<year>-<n>)"),
    "letter_date": N_("the day it is issued (dd/mm/yyyy)"),
    "fund_name": N_("the fund's name"),
    "call_title": N_("the call's title"),
    "project_title": N_("the proposal's title"),
    "pi_name": N_("the principal investigator"),
    "host_name": N_("the host organisation"),
    "amount_vnd": N_("the amount granted, in đồng (proposals funded)"),
    "duration_months": N_("the duration in months"),
    "note": N_("the decision's note"),
    "full_deadline": N_("the full proposals' deadline (two-stage calls)"),
}


def template_violations(body: str, body_not_funded: str) -> list[Violation]:
    """Both texts (funded, not funded) are written, with known placeholders only."""
    found = templating.violations(
        body, PLACEHOLDERS, empty=N_("The text of the letter to a funded proposal is empty.")
    )
    found += [
        Violation("body_not_funded", v.message, v.params)
        for v in templating.violations(
            body_not_funded,
            PLACEHOLDERS,
            empty=N_("The text of the letter to a proposal not funded is empty."),
        )
    ]
    return found


def fill(body: str, values: dict[str, str]) -> str:
    return templating.fill(body, PLACEHOLDERS, values)


def letter_number(fund_code: str, year: int, n: int) -> str:
    """QĐ-<fund code>-<year>-<n, four digits>: 'QĐ-NAFOSTED-2026-0001'."""
    return f"QĐ-{fund_code.upper()}-{year}-{n:04d}"


def vnd_digits(amount: int) -> str:
    """5000000000 → '5.000.000.000' (the Vietnamese grouping, as letters write amounts)."""
    return f"{amount:,}".replace(",", ".")


@dataclass(frozen=True)
class Candidate:
    """A decision of the call as the check sees it."""

    decision_id: int
    title: str
    funded: bool
    amount_vnd: int
    issued: bool  # its letter is already out
    shortlisting: str | None = None  # a pre-proposal's outcome (two-stage calls), else None


@dataclass(frozen=True)
class SendCheck:
    """What issuing the selected letters means, and what stops it."""

    selected: tuple[Candidate, ...]
    funded_count: int
    not_funded_count: int
    funded_selected_vnd: int
    funded_call_vnd: int  # every funded decision of the call, sent or not
    call_budget_vnd: int
    problems: tuple[Violation, ...]
    shortlisted_count: int = 0  # pre-proposals of a two-stage call (carry no money)
    not_shortlisted_count: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems


def check_selection(
    candidates: Sequence[Candidate], selected_ids: Sequence[int], call_budget_vnd: int
) -> SendCheck:
    """The selection's counts and money, refused if empty, if it holds a letter already
    issued or a decision not of this call, or if the call's funded decisions exceed its
    budget (a letter promising money the call does not have is never sent)."""
    by_id = {c.decision_id: c for c in candidates}
    wanted = list(dict.fromkeys(selected_ids))
    chosen = tuple(by_id[i] for i in wanted if i in by_id)
    problems: list[Violation] = []
    if not wanted:
        problems.append(Violation("decisions", N_("Select at least one decision.")))
    if len(chosen) < len(wanted):
        problems.append(Violation("decisions", N_("A selected decision is not of this call.")))
    for c in chosen:
        if c.issued:
            problems.append(
                Violation(
                    "decisions",
                    N_("The letter for «%(title)s» has already been issued."),
                    {"title": c.title},
                )
            )
    funded_call = sum(c.amount_vnd for c in candidates if c.funded)
    if funded_call > call_budget_vnd:
        problems.append(
            Violation(
                "decisions",
                N_(
                    "The call's funded proposals need %(need)s đồng, more than its budget of "
                    "%(budget)s đồng: revise the decisions before sending letters."
                ),
                {"need": vnd_digits(funded_call), "budget": vnd_digits(call_budget_vnd)},
            )
        )
    funded = [c for c in chosen if c.funded]
    stage = [c.shortlisting for c in chosen if c.shortlisting]
    return SendCheck(
        selected=chosen,
        funded_count=len(funded),
        not_funded_count=len(chosen) - len(funded) - len(stage),
        shortlisted_count=stage.count("shortlisted"),
        not_shortlisted_count=stage.count("not_shortlisted"),
        funded_selected_vnd=sum(c.amount_vnd for c in funded),
        funded_call_vnd=funded_call,
        call_budget_vnd=call_budget_vnd,
        problems=tuple(problems),
    )
