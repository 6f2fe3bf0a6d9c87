"""Pure rules of the appraisal: its machine, what a proposed change needs, what the PI's
answers need, and the approved value of each line."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from funds.appraisal.models import AppraisalStatus as AS
from funds.errors import N_
from funds.rules import Violation
from funds.states import Machine, transitions

APPRAISAL = Machine(
    "appraisal",
    AS,
    transitions(
        {
            AS.IN_PROGRESS: {AS.WITH_PI},
            AS.WITH_PI: {AS.ANSWERED},
            AS.ANSWERED: {AS.APPROVED, AS.IN_PROGRESS},  # or another round
            AS.APPROVED: set(),
        }
    ),
    {
        AS.IN_PROGRESS: N_("Being appraised"),
        AS.WITH_PI: N_("Awaiting the PI's answers"),
        AS.ANSWERED: N_("Answered by the PI"),
        AS.APPROVED: N_("Approved"),
    },
)

ACCEPTED, ANSWERED = "accepted", "answered"
RESPONSES = (ACCEPTED, ANSWERED)


@dataclass(frozen=True)
class WorkValues:
    """A work package's four facts ("five clarities": who, what, by when, delivering what)."""

    owner: str
    task: str
    due_month: int
    deliverable: str


@dataclass(frozen=True)
class WorkProposal:
    """What the appraisal proposes for one work package (the values shown, or removed)."""

    values: WorkValues
    removed: bool = False
    reason: str = ""


@dataclass(frozen=True)
class BudgetProposal:
    amount_vnd: int
    reason: str = ""


def work_change(submitted: WorkValues, proposed: WorkProposal) -> dict[str, object]:
    """The proposed_* fields that differ from what was submitted (empty: no change)."""
    found: dict[str, object] = {}
    for name in ("owner", "task", "due_month", "deliverable"):
        new = getattr(proposed.values, name)
        if isinstance(new, str):
            new = new.strip()
        if new != getattr(submitted, name):
            found[name] = new
    return found


def proposal_violations(
    budget: Sequence[tuple[int, int, BudgetProposal]],
    work: Sequence[tuple[WorkValues, WorkProposal]],
) -> list[Violation]:
    """A change needs its reason; amounts are whole, non-negative đồng; the appraisal never
    gives more than was asked in total (a line may rise only if others fall)."""
    found = []
    for _line_id, submitted, p in budget:
        if p.amount_vnd < 0:
            found.append(Violation("budget", N_("Amounts cannot be negative.")))
        elif p.amount_vnd != submitted and not p.reason.strip():
            found.append(Violation("budget", N_("Give the reason for each change to the budget.")))
    for before, w in work:
        if w.values.due_month < 1:
            found.append(Violation("work", N_("Due months count from 1.")))
        if (w.removed or work_change(before, w)) and not w.reason.strip():
            found.append(Violation("work", N_("Give the reason for each change to the work plan.")))
        if not w.removed and not (w.values.task.strip() and w.values.deliverable.strip()):
            found.append(Violation("work", N_("A work package keeps its task and deliverable.")))
    asked = sum(s for _i, s, _p in budget)
    proposed = sum(p.amount_vnd for _i, _s, p in budget)
    if proposed > asked:
        found.append(
            Violation(
                "budget",
                N_("The appraised budget (%(proposed_vnd)s) exceeds the request (%(asked_vnd)s)."),
                {"proposed_vnd": proposed, "asked_vnd": asked},
            )
        )
    return found


def answer_violations(answers: Iterable[tuple[str | None, str]]) -> list[Violation]:
    """The PI accepts each proposed change or answers it with their reasons."""
    found = []
    for response, text in answers:
        if response not in RESPONSES:
            found.append(Violation("answers", N_("Accept each proposed change or answer it.")))
        elif response == ANSWERED and not text.strip():
            found.append(Violation("answers", N_("Give your answer to the change you dispute.")))
    return found


def approved_choice(changed: bool, response: str | None, keep_submitted: bool) -> str:
    """Which value a line is approved at: 'submitted' (unchanged, or a disputed change the
    manager did not keep) or 'proposed' (a change the PI accepted, or the manager kept)."""
    if not changed:
        return "submitted"
    if response == ANSWERED and keep_submitted:
        return "submitted"
    return "proposed"


def approved_amount(
    submitted: int, proposed: int | None, response: str | None, keep_submitted: bool
) -> int:
    changed = proposed is not None and proposed != submitted
    if approved_choice(changed, response, keep_submitted) == "proposed":
        assert proposed is not None
        return proposed
    return submitted
