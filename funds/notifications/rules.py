"""What each kind of notification says, whether the procedure requires its e-mail, and the
reminder schedule (pure)."""

from dataclasses import dataclass
from datetime import date

from funds.errors import N_


@dataclass(frozen=True)
class Kind:
    subject: str  # a message id with %(name)s parameters, translated in the recipient's language
    body: str
    required: bool  # the procedure requires it: always e-mailed, not a preference


KINDS: dict[str, Kind] = {
    "coinvestigator_invitation": Kind(
        N_("Invitation to the team of «%(title)s»"),
        N_(
            "%(pi)s has named you a co-investigator of the proposal «%(title)s». Please "
            "confirm your participation with the link below (signed in with this address); "
            "the link stays valid until you answer."
        ),
        required=True,
    ),
    "review_assigned": Kind(
        N_("Review assigned: «%(title)s»"),
        N_("You are asked to review the proposal «%(title)s». Your review is due on %(due_on)s."),
        required=True,
    ),
    "review_reminder": Kind(
        N_("Reminder: review of «%(title)s» due on %(due_on)s"),
        N_("Your review of «%(title)s» is due on %(due_on)s."),
        required=False,
    ),
    "review_overdue": Kind(
        N_("Overdue: review of «%(title)s»"),
        N_("Your review of «%(title)s» was due on %(due_on)s. Please submit it or decline."),
        required=True,
    ),
    "council_appointed": Kind(
        N_("Appointed to the council «%(council)s»"),
        N_("You have been appointed a member of the council «%(council)s»."),
        required=True,
    ),
    "council_meeting": Kind(
        N_("Council meeting: «%(council)s» on %(starts_at)s"),
        N_("The council «%(council)s» meets on %(starts_at)s."),
        required=True,
    ),
    "rebuttal_open": Kind(
        N_("Respond to the reviews of «%(title)s» by %(closes_at)s"),
        N_(
            "The external reviews of your proposal «%(title)s» are complete. You may read "
            "them, anonymised, and send the council one response of at most %(max)s "
            "characters until %(closes_at)s (Vietnam time)."
        ),
        required=True,
    ),
    "decision_funded": Kind(
        N_("Decision: «%(title)s» is funded"),
        N_(
            "The fund has decided to fund your proposal «%(title)s» (decision %(number)s). "
            "The letter is on the proposal's page."
        ),
        required=True,
    ),
    "decision_not_funded": Kind(
        N_("Decision: «%(title)s» is not funded"),
        N_(
            "The fund has decided not to fund your proposal «%(title)s» (letter %(number)s). "
            "The letter, with the reviewers' anonymised comments, is on the proposal's page."
        ),
        required=True,
    ),
    # two-stage calls (docs/two-stage.md): the pre-proposal's decision; a shortlisting is the
    # invitation to the full stage
    "decision_shortlisted": Kind(
        N_("Invitation: «%(title)s» is shortlisted for a full proposal"),
        N_(
            "Your pre-proposal «%(title)s» is shortlisted (letter %(number)s). You are invited "
            "to submit a full proposal by %(closes_at)s: start it from the pre-proposal's "
            "page, where it is filled in from your outline."
        ),
        required=True,
    ),
    "decision_not_shortlisted": Kind(
        N_("Decision: «%(title)s» is not shortlisted"),
        N_(
            "Your pre-proposal «%(title)s» is not shortlisted for the full stage (letter "
            "%(number)s). The letter is on the pre-proposal's page."
        ),
        required=True,
    ),
    "report_due": Kind(
        N_("Report due: %(contract)s"),
        N_("A report of the project %(contract)s is due on %(due_on)s."),
        required=False,
    ),
    "report_overdue": Kind(
        N_("Report overdue: %(contract)s"),
        N_("A report of the project %(contract)s was due on %(due_on)s and has not been filed."),
        required=True,
    ),
    "payment_held": Kind(
        N_("Payment held: %(contract)s"),
        N_("A payment of the project %(contract)s is held: %(reason)s."),
        required=True,
    ),
}
OPTIONAL = tuple(k for k, v in KINDS.items() if not v.required)


def wants_email(kind: str, choices: dict[str, bool]) -> bool:
    """A required kind always goes; an optional one unless the person turned it off."""
    return KINDS[kind].required or choices.get(kind, True)


@dataclass(frozen=True)
class Schedule:
    """Reminders before a due date (days before it) and after it (every N days)."""

    before: tuple[int, ...] = (7, 2)
    overdue_every: int = 3


def parse_schedule(before: str, overdue_every: int | str) -> Schedule:
    """ "7,2" and 3 → Schedule((7, 2), 3); a malformed setting is a configuration error."""
    given = {int(d) for d in str(before).replace(" ", "").split(",") if d}
    days = tuple(sorted(given, reverse=True))
    every = int(overdue_every)
    if any(d < 0 for d in days) or every < 1:
        raise ValueError("reminder days must be ≥ 0 and the overdue interval ≥ 1")
    return Schedule(days, every)


def reminder_for(due: date, today: date, schedule: Schedule) -> str | None:
    """'reminder' on the days before the due date the schedule names, 'overdue' the day after
    it and every N days from then, None otherwise."""
    if today <= due:
        return "reminder" if (due - today).days in schedule.before else None
    late = (today - due).days
    return "overdue" if (late - 1) % schedule.overdue_every == 0 else None


LABELS: dict[str, str] = {  # the kind as the preferences page and the failures list name it
    "coinvestigator_invitation": N_("Invitations to a proposal's team"),
    "review_assigned": N_("Review assignments"),
    "review_reminder": N_("Reminders before a review is due"),
    "review_overdue": N_("Overdue reviews"),
    "council_appointed": N_("Council appointments"),
    "council_meeting": N_("Council meetings"),
    "rebuttal_open": N_("Responses to the reviews"),
    "decision_funded": N_("Funding decisions: funded"),
    "decision_not_funded": N_("Funding decisions: not funded"),
    "decision_shortlisted": N_("Pre-proposals: shortlisted, invited to the full stage"),
    "decision_not_shortlisted": N_("Pre-proposals: not shortlisted"),
    "report_due": N_("Reports coming due"),
    "report_overdue": N_("Overdue reports"),
    "payment_held": N_("Payments held"),
}
