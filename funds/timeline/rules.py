"""The timeline's steps from plain facts (pure): which are done, skipped or to come, the
current one, and what happens next with its deadline and a countdown."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum

from funds.clock import LOCAL_TZ, to_utc
from funds.errors import N_


class Step(StrEnum):
    DRAFTED = "drafted"
    SUBMITTED = "submitted"
    ENDORSED = "endorsed"
    UNDER_REVIEW = "under_review"
    COUNCIL = "council"
    DECIDED = "decided"
    CONTRACTED = "contracted"
    REPORTING = "reporting"
    CLOSED = "closed"


LABELS: dict[Step, str] = {
    Step.DRAFTED: N_("Drafted"),
    Step.SUBMITTED: N_("Submitted"),
    Step.ENDORSED: N_("Endorsed by the host"),
    Step.UNDER_REVIEW: N_("Under review"),
    Step.COUNCIL: N_("Council"),
    Step.DECIDED: N_("Decided"),
    Step.CONTRACTED: N_("Contracted"),
    Step.REPORTING: N_("Reporting"),
    Step.CLOSED: N_("Closed"),
}


STAGE_LABELS = {
    "outline": N_("Stage 1 of 2: pre-proposal"),
    "full": N_("Stage 2 of 2: full proposal"),
}
OUTLINE_STEPS = (Step.DRAFTED, Step.SUBMITTED, Step.UNDER_REVIEW, Step.COUNCIL, Step.DECIDED)
ENDINGS = ("not_funded", "not_shortlisted")


class Mark(StrEnum):
    DONE = "done"
    CURRENT = "current"
    SKIPPED = "skipped"  # passed over (no council for this call) or not reached (not funded)
    TO_COME = "to_come"


MARK_LABELS: dict[Mark, str] = {  # said in words, never by colour alone
    Mark.DONE: N_("done"),
    Mark.CURRENT: N_("current step"),
    Mark.SKIPPED: N_("not applicable"),
    Mark.TO_COME: N_("to come"),
}


@dataclass(frozen=True)
class Facts:
    """What the records say about one proposal; a date is None until the step happened."""

    status: str  # the proposal's status (funds.proposals.models.ProposalStatus)
    created_at: datetime
    call_closes_at: datetime
    requires_endorsement: bool = False
    submitted_at: datetime | None = None
    endorsement_status: str | None = None  # of the current version (EndorsementStatus)
    endorsement_due_at: datetime | None = None
    endorsed_at: datetime | None = None
    review_started_at: datetime | None = None  # the first live reviewer assignment
    reviews_due_on: date | None = None  # the last due date of the reviews still open
    council_at: datetime | None = None  # the selection meeting that has it on its agenda
    decided_at: datetime | None = None
    outcome: str | None = None  # funded | not_funded
    contracted_on: date | None = None  # the contract's date (its last signature)
    reporting_from: date | None = None  # the project's start date
    next_report_due: date | None = None
    closed_at: datetime | None = None
    # two-stage calls (docs/two-stage.md): the stage (None: a single-stage call) and the full
    # proposals' deadline; a full proposal's call_closes_at is that deadline
    stage: str | None = None
    full_closes_at: datetime | None = None


@dataclass(frozen=True)
class StepLine:
    step: Step
    label: str  # msgid
    mark: Mark
    at: datetime | date | None

    @property
    def mark_label(self) -> str:
        return MARK_LABELS[self.mark]

    @property
    def is_current(self) -> bool:
        return self.mark == Mark.CURRENT


CLOSES_IN = N_("closes in %(time)s")
DUE_IN = N_("due in %(time)s")
MEETS_IN = N_("meets in %(time)s")
STARTS_IN = N_("starts in %(time)s")


@dataclass(frozen=True)
class Next:
    message: str  # msgid
    deadline: datetime | None = None  # an instant (UTC); shown in local time with a countdown
    countdown: str = DUE_IN  # msgid with %(time)s: how the time left reads


@dataclass(frozen=True)
class Timeline:
    steps: tuple[StepLine, ...]
    current: Step
    next: Next | None
    stage: str | None = None  # outline | full in a two-stage call

    @property
    def stage_label(self) -> str | None:
        return STAGE_LABELS.get(self.stage) if self.stage else None


@dataclass(frozen=True)
class Summary:
    """The timeline in one line, for a list: step `position` of `total`, and the deadline."""

    position: int
    total: int
    label: str
    deadline: datetime | None
    countdown: str = DUE_IN


def summary(t: Timeline) -> Summary:
    position = next(i for i, line in enumerate(t.steps, 1) if line.step == t.current)
    if t.next is None:
        return Summary(position, len(t.steps), LABELS[t.current], None)
    return Summary(position, len(t.steps), LABELS[t.current], t.next.deadline, t.next.countdown)


def day_end(day: date) -> datetime:
    """A due date (a Vietnam calendar day) as the instant it ends: 23:59:59 local time."""
    return to_utc(datetime.combine(day, time(23, 59, 59), tzinfo=LOCAL_TZ))


def day_start(day: date) -> datetime:
    return to_utc(datetime.combine(day, time(0, 0), tzinfo=LOCAL_TZ))


def _dates(f: Facts, now: datetime) -> dict[Step, datetime | date | None]:
    """When each step happened; a reopened or withdrawn proposal counts only as drafted."""
    if f.status in ("draft", "withdrawn"):
        return {Step.DRAFTED: f.created_at}
    return {
        Step.DRAFTED: f.created_at,
        Step.SUBMITTED: f.submitted_at or f.created_at,
        Step.ENDORSED: f.endorsed_at if f.endorsement_status == "endorsed" else None,
        Step.UNDER_REVIEW: f.review_started_at,
        Step.COUNCIL: f.council_at,
        Step.DECIDED: f.decided_at,
        Step.CONTRACTED: f.contracted_on,
        Step.REPORTING: f.reporting_from
        if f.contracted_on and f.reporting_from and day_start(f.reporting_from) <= now
        else None,
        Step.CLOSED: f.closed_at,
    }


def steps_of(f: Facts) -> list[Step]:
    """The steps this proposal's call has: endorsement only when the call requires it; a
    pre-proposal ends with its shortlisting decision."""
    if f.stage == "outline":
        return list(OUTLINE_STEPS)
    return [s for s in Step if s != Step.ENDORSED or f.requires_endorsement]


def timeline(f: Facts, now: datetime) -> Timeline:
    """Each step marked done, current, skipped or to come; the current is the furthest step
    reached; a step not reached before a later one was (or after a refusal) is skipped."""
    dates = _dates(f, now)
    steps = steps_of(f)
    reached = [s for s in steps if dates.get(s) is not None]
    current = reached[-1] if reached else Step.DRAFTED
    position = steps.index(current)
    ended = f.outcome in ENDINGS
    lines = []
    for i, step in enumerate(steps):
        if step == current:
            mark = Mark.CURRENT
        elif i < position:
            mark = Mark.DONE if dates.get(step) is not None else Mark.SKIPPED
        else:
            mark = Mark.SKIPPED if ended else Mark.TO_COME
        lines.append(StepLine(step, LABELS[step], mark, dates.get(step)))
    return Timeline(tuple(lines), current, next_step(f, current, now), f.stage)


def _future(deadline: datetime | None, now: datetime) -> datetime | None:
    return deadline if deadline is not None and deadline > now else None


def _after_submission(f: Facts, now: datetime) -> Next:
    """Submitted, not yet under review: the host's endorsement first, when required."""
    if f.requires_endorsement and f.endorsement_status == "pending":
        if f.endorsement_due_at is not None and f.endorsement_due_at <= now:
            return Next(
                N_(
                    "The host organisation's time to endorse has passed; "
                    "the fund decides what follows."
                )
            )
        return Next(
            N_("Your host organisation endorses the submitted version."), f.endorsement_due_at
        )
    if f.requires_endorsement and f.endorsement_status == "returned":
        return Next(
            N_(
                "Your host organisation returned the proposal: reopen it, correct it and "
                "submit it again before the call closes."
            ),
            _future(f.call_closes_at, now),
            CLOSES_IN,
        )
    closes = _future(f.call_closes_at, now)
    if closes is not None:
        return Next(N_("The call closes; then the fund assigns reviewers."), closes, CLOSES_IN)
    return Next(N_("The fund assigns reviewers."))


def next_step(f: Facts, current: Step, now: datetime) -> Next | None:
    """What happens next from the current step, with the deadline that governs it (None at the
    end of the road: not funded, or closed)."""
    if f.status in ("draft", "withdrawn"):
        closes = _future(f.call_closes_at, now)
        if closes is None:
            return Next(N_("The call has closed: this proposal can no longer be submitted."))
        return Next(N_("Submit the proposal before the call closes."), closes, CLOSES_IN)
    if current in (Step.SUBMITTED, Step.ENDORSED):
        return _after_submission(f, now)
    if current == Step.UNDER_REVIEW:
        due = _future(day_end(f.reviews_due_on), now) if f.reviews_due_on else None
        return Next(
            N_("Reviewers assess the proposal; then the fund (or its council) decides."), due
        )
    if current == Step.COUNCIL:
        meets = _future(f.council_at, now)
        if meets is not None:
            return Next(N_("The council meets to consider the proposal."), meets, MEETS_IN)
        return Next(N_("The fund records its decision."))
    if current == Step.DECIDED:
        if f.outcome == "shortlisted":
            return Next(
                N_(
                    "Shortlisted: start your full proposal from the outline and submit it "
                    "before the full proposals' deadline."
                ),
                _future(f.full_closes_at, now),
                CLOSES_IN,
            )
        if f.outcome != "funded":
            return None
        return Next(N_("The fund appraises the budget and prepares the contract for signature."))
    if current == Step.CONTRACTED:
        starts = day_start(f.reporting_from) if f.reporting_from else None
        return Next(
            N_("The project starts; progress reports follow its schedule."),
            _future(starts, now),
            STARTS_IN,
        )
    if current == Step.REPORTING:
        due = day_end(f.next_report_due) if f.next_report_due else None
        return Next(N_("File the next progress report."), due)
    return None


@dataclass(frozen=True)
class Countdown:
    """The time left until a deadline, in whole days, hours and minutes (floor)."""

    days: int
    hours: int
    minutes: int
    passed: bool


def countdown(deadline: datetime, now: datetime) -> Countdown:
    """Time left from `now` (server time) to `deadline`; `passed` once it is reached."""
    left = to_utc(deadline) - to_utc(now)
    if left <= timedelta(0):
        return Countdown(0, 0, 0, True)
    minutes = int(left.total_seconds()) // 60
    return Countdown(minutes // (24 * 60), minutes // 60 % 24, minutes % 60, False)
