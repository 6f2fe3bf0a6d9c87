"""Pure rules of personal-data rights: consent state, pseudonyms, retention, erasure checks.

Law 91/2025/QH15 on Personal Data Protection with Decree 356/2025/NĐ-CP (in force
1 January 2026): explicit consent, and the person's rights of access, correction, deletion
and withdrawal of consent. Retention periods are settings: the law on state-budget records
is cited by its purpose only until the instrument and period are confirmed (docs/privacy.md).
"""

from dataclasses import dataclass

from funds.errors import N_
from funds.proposals.models import ProposalStatus
from funds.rules import Violation

PSEUDONYM_NAME = "Người dùng đã xoá #{tag}"
PSEUDONYM_DOMAIN = "invalid.example"  # RFC 2606/6761: never delivers mail
UNUSABLE_PASSWORD = "!erased"  # not a werkzeug hash: no password ever matches it
CHANNELS = ("self", "post", "email", "in_person")


def pseudonym_name(tag: str) -> str:
    return PSEUDONYM_NAME.format(tag=tag)


def pseudonym_email(tag: str) -> str:
    return f"deleted-{tag}@{PSEUDONYM_DOMAIN}"


def confirmation_matches(typed: str, email: str) -> bool:
    """The person confirms an erasure by typing the account's e-mail address."""
    return bool(typed) and typed.strip().lower() == email.strip().lower()


def erasure_violations(
    *, already_erased: bool, active_contracts: list[str], confirmed: bool
) -> list[Violation]:
    """Why an erasure cannot go ahead now: a running contract needs the PI identified."""
    found = []
    if already_erased:
        found.append(Violation("confirm", N_("This person's data has already been erased.")))
    if active_contracts:
        found.append(
            Violation(
                "confirm",
                N_(
                    "The person is the principal investigator of a running project "
                    "(%(contracts)s): "
                    "the contract needs them identified until the project is closed."
                ),
                {"contracts": ", ".join(active_contracts)},
            )
        )
    if not confirmed:
        found.append(Violation("confirm", N_("Type the account's e-mail address to confirm.")))
    return found


def draft_is_erasable(status: str, submitted_versions: int) -> bool:
    """A proposal never submitted is the person's own working copy: it is deleted whole.
    One that was submitted once is part of a call's record, even if reopened."""
    return status == ProposalStatus.DRAFT and submitted_versions == 0


@dataclass(frozen=True)
class Retention:
    """How long one category of data is kept, and why; `setting` names an open point."""

    key: str
    category: str
    period: str
    basis: str
    default_years: int | None = None
    setting: str | None = None


# One source for the privacy notice and for the "kept, and why" lists of an erasure.
RETENTION = (
    Retention(
        "account",
        N_("Account: name, e-mail, institution, ORCID iD, language"),
        N_("While the account is open; replaced by a pseudonym on deletion."),
        N_("Consent (Law 91/2025/QH15); performing the funding procedures you use."),
    ),
    Retention(
        "profile",
        N_("Profile, CV, publications, reviewer profile, bids"),
        N_("While the account is open; deleted on deletion."),
        N_("Consent (Law 91/2025/QH15)."),
    ),
    Retention(
        "notifications",
        N_("Notifications, their e-mails and your e-mail choices"),
        N_("While the account is open; deleted on deletion."),
        N_("Performing the funding procedures you take part in."),
    ),
    Retention(
        "draft",
        N_("Proposals never submitted"),
        N_("Until you delete them or your data; deleted whole."),
        N_("Consent (Law 91/2025/QH15)."),
    ),
    Retention(
        "submitted",
        N_(
            "Submitted proposals, their versions, receipts and files, "
            "reviews and conflict declarations about them"
        ),
        N_("%(years)s years after the call's decision (a setting)."),
        N_(
            "The record of a selection funded from the state budget: who applied, what "
            "was received and how it was judged."
        ),
        10,
        "PRIVACY_RETAIN_SUBMITTED_YEARS",
    ),
    Retention(
        "contract",
        N_("Contracts, budgets, payments, reports, outputs, closeout"),
        N_("%(years)s years after the project is closed (a setting)."),
        N_(
            "State-budget accounting and archive records of the contract: advance, "
            "tranches, settlement and liquidation."
        ),
        10,
        "PRIVACY_RETAIN_CONTRACT_YEARS",
    ),
    Retention(
        "consent",
        N_("Consent history"),
        N_("As long as the records processed under it (a setting)."),
        N_("Proof of when consent was given and withdrawn, and to which notice."),
        10,
        "PRIVACY_RETAIN_CONSENT_YEARS",
    ),
    Retention(
        "audit",
        N_("Audit log entries"),
        N_("As long as the records they describe (a setting); never edited."),
        N_("Integrity of the funding records; entries name an account number only."),
        10,
        "PRIVACY_RETAIN_AUDIT_YEARS",
    ),
)
RETENTION_BY_KEY = {r.key: r for r in RETENTION}


def retention_years(settings: dict) -> dict[str, int]:
    """The configured years per category, defaults where the setting is absent."""
    return {
        r.key: int(settings.get(r.setting, r.default_years))
        for r in RETENTION
        if r.setting and r.default_years is not None
    }
