"""The overview's columns and how a proposal is counted in them (pure)."""

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum

from funds.errors import N_
from funds.timeline.rules import Step, Timeline


class Stage(StrEnum):
    DRAFTS = "drafts"
    SUBMITTED = "submitted"
    AWAITING_ENDORSEMENT = "awaiting_endorsement"
    UNDER_REVIEW = "under_review"
    REVIEWS_OVERDUE = "reviews_overdue"  # counts reviews, not proposals
    IN_COUNCIL = "in_council"
    DECIDED = "decided"
    CONTRACTED = "contracted"
    REPORTING = "reporting"
    CLOSED = "closed"


LABELS: dict[Stage, str] = {
    Stage.DRAFTS: N_("Drafts"),
    Stage.SUBMITTED: N_("Submitted"),
    Stage.AWAITING_ENDORSEMENT: N_("Awaiting endorsement"),
    Stage.UNDER_REVIEW: N_("Under review"),
    Stage.REVIEWS_OVERDUE: N_("Reviews overdue"),
    Stage.IN_COUNCIL: N_("In council"),
    Stage.DECIDED: N_("Decided"),
    Stage.CONTRACTED: N_("Contracted"),
    Stage.REPORTING: N_("Reporting"),
    Stage.CLOSED: N_("Closed"),
}

# the timeline's current step → the column a proposal is counted in
_BY_STEP: dict[Step, Stage] = {
    Step.DRAFTED: Stage.DRAFTS,
    Step.SUBMITTED: Stage.SUBMITTED,
    Step.ENDORSED: Stage.SUBMITTED,  # endorsed, not yet under review
    Step.UNDER_REVIEW: Stage.UNDER_REVIEW,
    Step.COUNCIL: Stage.IN_COUNCIL,
    Step.DECIDED: Stage.DECIDED,
    Step.CONTRACTED: Stage.CONTRACTED,
    Step.REPORTING: Stage.REPORTING,
    Step.CLOSED: Stage.CLOSED,
}


@dataclass(frozen=True)
class ProposalStage:
    """One proposal as the overview counts it."""

    status: str
    timeline: Timeline
    awaiting_endorsement: bool = False


def stage_of(p: ProposalStage) -> Stage | None:
    """The column of a proposal: its timeline's current step; a withdrawn one is not counted;
    one awaiting its host's endorsement is counted there, not as submitted."""
    if p.status == "withdrawn":
        return None
    if p.awaiting_endorsement and p.timeline.current == Step.SUBMITTED:
        return Stage.AWAITING_ENDORSEMENT
    return _BY_STEP[p.timeline.current]


@dataclass(frozen=True)
class Counts:
    by_stage: dict[Stage, int] = field(default_factory=dict)

    def __getitem__(self, stage: str) -> int:
        return self.by_stage.get(Stage(stage), 0)


def count(proposals: Iterable[ProposalStage], reviews_overdue: int) -> Counts:
    """The counts of one call: proposals by column, and its overdue reviews."""
    found: Counter[Stage] = Counter()
    for p in proposals:
        stage = stage_of(p)
        if stage is not None:
            found[stage] += 1
    found[Stage.REVIEWS_OVERDUE] = reviews_overdue
    return Counts(dict(found))


class Waiting(StrEnum):
    """What waits for a manager, each acted on at its own page."""

    REVIEWS_OVERDUE = "reviews_overdue"
    ENDORSEMENT_EXPIRED = "endorsement_expired"
    CHANGE_TO_DECIDE = "change_to_decide"
    REPORT_TO_EVALUATE = "report_to_evaluate"
    FINAL_REPORT_TO_EVALUATE = "final_report_to_evaluate"
    CONTRACT_TO_SIGN = "contract_to_sign"


WAITING_LABELS: dict[Waiting, str] = {
    Waiting.REVIEWS_OVERDUE: N_("Reviews overdue: remind the reviewers"),
    Waiting.ENDORSEMENT_EXPIRED: N_("Endorsement period expired without an answer"),
    Waiting.CHANGE_TO_DECIDE: N_("Change request to decide"),
    Waiting.REPORT_TO_EVALUATE: N_("Progress report to evaluate"),
    Waiting.FINAL_REPORT_TO_EVALUATE: N_("Final report to evaluate"),
    Waiting.CONTRACT_TO_SIGN: N_("Contract awaiting the fund's signature"),
}


@dataclass(frozen=True)
class WaitingItem:
    kind: Waiting
    title: str  # the proposal's or project's title, or the call's
    object_id: int  # the call, proposal, award or contract it is acted on at
    count: int = 1

    @property
    def label(self) -> str:
        return WAITING_LABELS[self.kind]
