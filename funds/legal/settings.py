"""The legal settings: open legal questions as documented values with a default and a reason.

Each setting names the instrument its question comes from. An administrator may change the
value (with a reason, audited); absent a stored value, the default applies. Features read a
setting with `value(session, key)`; pure rules take the value as an argument.
"""

from dataclasses import dataclass
from fractions import Fraction

from sqlmodel import Session

from funds.errors import N_
from funds.legal.models import LegalSetting


@dataclass(frozen=True)
class SettingSpec:
    key: str
    default: str
    kind: str  # fraction (0..1) | int | choice | bool
    instrument: str  # legal_instrument.code
    reason: str  # why this default (msgid; docs/compliance.md and docs/projects.md)
    choices: tuple[str, ...] = ()
    minimum: int = 0
    maximum: int = 100

    def parse(self, text: str):
        """The typed value of `text`; ValueError when it is not a valid value."""
        text = text.strip()
        if self.kind == "fraction":
            number = Fraction(text)
            if not 0 <= number <= 1:
                raise ValueError(text)
            return number
        if self.kind == "int":
            whole = int(text)
            if not self.minimum <= whole <= self.maximum:
                raise ValueError(text)
            return whole
        if self.kind == "bool":
            if text not in ("true", "false"):
                raise ValueError(text)
            return text == "true"
        if text not in self.choices:
            raise ValueError(text)
        return text


SETTINGS: dict[str, SettingSpec] = {
    s.key: s
    for s in (
        SettingSpec(
            "compliance.strategic_share_base",
            "st",
            "choice",
            "res-57-nq-tw",
            N_(
                "Resolution 57-NQ/TW asks for at least 15 per cent of the state budget for science"
                " to go to strategic-technology research. rdfund reads this as the state S&T "
                "budget line; the wider S&T, innovation and digital-transformation line is the "
                "alternative reading until a guiding text fixes the base."
            ),
            choices=("st", "stidx"),
        ),
        SettingSpec(
            "compliance.coverage_warning_below",
            "0.5",
            "fraction",
            "res-57-nq-tw",
            N_(
                "The 15 per cent share compares this portal's ledger with the whole national base."
                " When the ledger holds less than this part of that base, the share says little "
                "about the national figure and the report warns so."
            ),
        ),
        SettingSpec(
            "closeout.legacy_objective_share",
            "0.10",
            "fraction",
            "circular-93-2006-ttlt-btc-bkhcn",
            N_(
                "Before 19 Feb 2025 an unfinished lump-sum task refunded at most 10 per cent of "
                "the funds used for objective causes; the maximum is the default."
            ),
        ),
        SettingSpec(
            "closeout.legacy_subjective_share",
            "0.30",
            "fraction",
            "circular-93-2006-ttlt-btc-bkhcn",
            N_(
                "Before 19 Feb 2025 an unfinished task refunded at least 30 per cent of the funds "
                "used for subjective causes; the minimum is the default."
            ),
        ),
        SettingSpec(
            "closeout.legacy_host_share",
            "0.5",
            "fraction",
            "circular-27-2015-ttlt-bkhcn-btc",
            N_(
                "The earlier rules share a refund between the host organisation and the principal "
                "investigator without fixing the split; half each until the fund decides "
                "otherwise."
            ),
        ),
        SettingSpec(
            "closeout.broken_condition_recovery",
            "proportionate",
            "choice",
            "law-93-2025-qh15",
            N_(
                "Law 93/2025/QH15 Art. 9 says when there is no refund; it does not say that one "
                "broken condition recovers everything. The proportionate default recovers the "
                "unused balance plus the amounts used outside the approved purpose or scope and "
                "opens a liability case; full recovery follows only a finding of fraud."
            ),
            choices=("proportionate", "full"),
        ),
        SettingSpec(
            "closeout.transitional_override",
            "true",
            "bool",
            "res-193-2025-qh15",
            N_(
                "Transitional clauses may let a contract signed under earlier rules be closed "
                "under the new regime (to verify case by case); a manager may override the regime "
                "chosen from the contract date only with a logged reason."
            ),
        ),
        SettingSpec(
            "indicators.commercialisation_window_years",
            "5",
            "int",
            "res-57-nq-tw",
            N_(
                "An exploitation counts for a patent when it comes within this many years of the "
                "grant; outputs may be recorded for five years after closeout."
            ),
            minimum=1,
            maximum=30,
        ),
        SettingSpec(
            "indicators.provisional_years",
            "2",
            "int",
            "res-57-nq-tw",
            N_(
                "Outputs arrive after the year they belong to; the latest years stay provisional "
                "for this many years, so their indicators are marked as such."
            ),
            minimum=0,
            maximum=10,
        ),
        SettingSpec(
            "reports.filing_window_days",
            "30",
            "int",
            "law-93-2025-qh15",
            N_(
                "A progress report belongs to one reporting period and may be filed from this many"
                " days before the period's due date, so reports cannot be filed ahead for future "
                "periods."
            ),
            minimum=1,
            maximum=366,
        ),
        SettingSpec(
            "money.advance_share",
            "0.30",
            "fraction",
            "decree-265-2025-nd-cp",
            N_(
                "The fund pays an advance when the contract is in force. The share of the "
                "contract's state money is the fund's to set within the finance rules for S&T "
                "tasks (Decree 265/2025/NĐ-CP, content to verify); 30 per cent until the fund "
                "decides."
            ),
        ),
        SettingSpec(
            "money.settlement_tolerance",
            "0.05",
            "fraction",
            "decree-265-2025-nd-cp",
            N_(
                "At settlement each approved budget line is compared with what was spent; a "
                "difference larger than this share of the line must be explained."
            ),
        ),
        SettingSpec(
            "changes.budget_move_share",
            "0.10",
            "fraction",
            "decree-265-2025-nd-cp",
            N_(
                "The host may move money between budget categories of a year up to this share of "
                "the line it leaves (recorded at once, as an annex); a larger move needs the "
                "fund's approval."
            ),
        ),
        SettingSpec(
            "changes.extension_max_months",
            "12",
            "int",
            "law-93-2025-qh15",
            N_(
                "The extensions of one contract together move its end date by at most this many "
                "months past the end first agreed."
            ),
            minimum=0,
            maximum=60,
        ),
        SettingSpec(
            "changes.extension_max_count",
            "2",
            "int",
            "law-93-2025-qh15",
            N_("A contract is extended at most this many times."),
            minimum=0,
            maximum=10,
        ),
        SettingSpec(
            "changes.decision_days",
            "30",
            "int",
            "law-93-2025-qh15",
            N_(
                "The fund decides a change request within this many days of receiving it; both "
                "sides see the date and an overdue decision is highlighted."
            ),
            minimum=1,
            maximum=366,
        ),
    )
}


def value(session: Session, key: str):
    """The typed value of a setting: the administrator's, else the default."""
    spec = SETTINGS[key]
    row = session.get(LegalSetting, key)
    if row is not None:
        try:
            return spec.parse(row.value)
        except (ValueError, ZeroDivisionError):
            pass  # a value stored before the spec changed: the default holds
    return spec.parse(spec.default)
