"""Closeout consequences by regime: pure rules over plain values, in integer đồng.

The regime is chosen from the contract's date among the rows of `closeout_regime` (migration
0016_closeout), each with its instrument, article and effective range:

- legacy (contracts up to 18 Feb 2025): Circular 27/2015/TTLT-BKHCN-BTC, with the shares of
  Circular 93/2006/TTLT-BTC-BKHCN. A failed task returns the unused balance plus a share of the
  funds used, by cause: at most 10% for an objective cause, at least 30% for a subjective one
  (settings closeout.legacy_objective_share and closeout.legacy_subjective_share), shared
  between host and PI (closeout.legacy_host_share).
- res193 (from 19 Feb 2025): National Assembly Resolution 193/2025/QH15 Art. 4, guided by
  Decree 88/2025/NĐ-CP: a task that followed procedure and failed returns only its unused
  balance.
- law93 (from 1 Oct 2025): Law 93/2025/QH15 Art. 9, the four conditions of risk acceptance.

Under res193 and law93 a *compliant* failure (the four conditions answered yes) returns the
unused balance only, with no liability and no mark against future applications, and needs
the evidence that procedure was followed and the council's conclusion. A broken condition
returns the unused balance plus the amount used outside the approved purpose or scope and
opens a liability case; everything disbursed is recovered only on a finding of fraud, or
when closeout.broken_condition_recovery is `full`. A lump-sum task accepted as passing keeps
its savings (Decree 95/2014/NĐ-CP). A share of đồng is exact (Fraction) and rounded half up
to the đồng once, by `round_half_up`.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, fields
from datetime import date
from enum import StrEnum
from fractions import Fraction

from funds.errors import N_
from funds.rules import Violation


class Regime(StrEnum):
    LEGACY = "legacy"
    RES193 = "res193"
    LAW93 = "law93"


class Rating(StrEnum):
    EXCELLENT = "excellent"
    PASS = "pass"
    FAIL = "fail"


class Outcome(StrEnum):
    SUCCESS = "success"
    COMPLIANT_FAILURE = "compliant_failure"  # res193 / law93, the four conditions hold
    NONCOMPLIANT_FAILURE = "noncompliant_failure"  # res193 / law93, a condition is broken
    LEGACY_FAILURE = "legacy_failure"  # the earlier rules: refund by cause


class Answer(StrEnum):
    YES = "yes"
    NO = "no"
    NOT_ASSESSED = "not_assessed"


class Cause(StrEnum):
    OBJECTIVE = "objective"
    SUBJECTIVE = "subjective"


LUMP_SUM = "lump_sum"
# the consequences in words, after the regime's basis (msgids; the English record says the same)
REASONS = {
    "savings": N_(
        "Decree 95/2014/NĐ-CP: the savings of a lump-sum task accepted as passing stay with the "
        "host"
    ),
    "success": N_("the unused balance returns"),
    "subjective": N_(
        "failed for a subjective cause; the unused balance and %(share)s of the funds used "
        "return, %(host_share)s from the host organisation"
    ),
    "objective": N_(
        "failed for an objective cause; the unused balance and %(share)s of the funds used "
        "return, %(host_share)s from the host organisation"
    ),
    "compliant": N_(
        "compliant failure; only the unused balance returns, with no liability and no mark "
        "against future applications"
    ),
    "fraud": N_("fraud was found; everything disbursed is recovered; a liability case is opened"),
    "full": N_(
        "a condition is broken and the setting recovers everything; everything disbursed is "
        "recovered; a liability case is opened"
    ),
    "proportionate": N_(
        "a condition is broken; the unused balance and the amount used outside the approved "
        "purpose or scope return; a liability case is opened"
    ),
}
SAVINGS_BASIS = (
    "Decree 95/2014/NĐ-CP: the savings of a lump-sum task accepted as passing stay with the host"
)


@dataclass(frozen=True)
class Conditions:
    """The four conditions of risk acceptance (Law 93/2025/QH15 Art. 9), each answered by the
    evaluators; None means not answered, which a failed project may not be closed with."""

    procedures_followed: Answer | None = None
    no_fraud: Answer | None = None
    no_intentional_breach: Answer | None = None
    funds_within_purpose: Answer | None = None

    def answers(self) -> dict[str, Answer | None]:
        return {f.name: getattr(self, f.name) for f in fields(self)}

    def all_yes(self) -> bool:
        return all(a == Answer.YES for a in self.answers().values())

    def broken(self) -> bool:
        return any(a == Answer.NO for a in self.answers().values())


ALL_YES = Conditions(Answer.YES, Answer.YES, Answer.YES, Answer.YES)


@dataclass(frozen=True)
class RegimeSpan:
    """One regime as data: `instrument` and `related` are display names of instruments
    ("Resolution 193/2025/QH15"), the range is of contract dates, both ends inclusive."""

    code: str
    instrument: str
    article: str
    effective_from: date
    effective_to: date | None = None
    related: str = ""

    @property
    def basis(self) -> str:
        """The legal basis in words: instrument, article and the instrument read with it."""
        main = f"{self.instrument} {self.article}".strip()
        return f"{main}; {self.related}" if self.related else main

    def covers(self, day: date) -> bool:
        ends = self.effective_to
        return self.effective_from <= day and (ends is None or day <= ends)


def regime_on(spans: Sequence[RegimeSpan], contract_date: date) -> RegimeSpan | None:
    """The regime whose range holds the contract date (None: no regime covers it)."""
    return next((s for s in spans if s.covers(contract_date)), None)


def override_allowed(spans: Sequence[RegimeSpan], contract_date: date, target: str) -> bool:
    """A transitional override moves a contract to a later regime (or back to the one its date
    chooses); never to an earlier regime than its date's."""
    chosen = regime_on(spans, contract_date)
    wanted = next((s for s in spans if s.code == target), None)
    if chosen is None or wanted is None:
        return False
    return wanted.code == chosen.code or wanted.effective_from > chosen.effective_from


@dataclass(frozen=True)
class CloseoutSettings:
    """The closeout.* legal settings (funds.legal.settings), typed; defaults as shipped."""

    legacy_objective_share: Fraction = Fraction(1, 10)
    legacy_subjective_share: Fraction = Fraction(3, 10)
    legacy_host_share: Fraction = Fraction(1, 2)
    broken_condition_recovery: str = "proportionate"  # proportionate | full


@dataclass(frozen=True)
class Evaluation:
    """What the acceptance council recorded that the consequences depend on."""

    rating: Rating
    conditions: Conditions = Conditions()
    cause: Cause | None = None
    outside_purpose_vnd: int = 0
    outside_purpose_evidence: str = ""
    evidence: str = ""  # the documents showing procedure was followed, one per line
    conclusion: str = ""  # the acceptance council's conclusion
    indicators: Mapping[int, bool | None] = field(default_factory=dict)  # id → met
    measured: Mapping[int, str] = field(default_factory=dict)  # id → measured value


@dataclass(frozen=True)
class Consequence:
    outcome: Outcome
    refund_vnd: int
    basis: str  # the instrument and article, in words, for the record (English)
    liability: bool  # a liability case is opened
    mark_against_future: bool
    host_refund_vnd: int | None = None  # legacy: the refund's split between host and PI
    pi_refund_vnd: int | None = None
    savings_vnd: int = 0  # lump sum accepted as passing: kept by the host
    # what follows, after the regime's basis, as a msgid with its parameters (the record's
    # words in the reader's language; shares are Fractions)
    reason: str = ""
    reason_params: Mapping[str, Fraction] = field(default_factory=dict)

    @property
    def fingerprint(self) -> str:
        """A short digest of everything the outcome preview shows: a confirmation carries
        the one its manager saw, and is refused if the outcome is not that one."""
        import hashlib

        shown = (
            f"{self.outcome}|{self.refund_vnd}|{self.host_refund_vnd}|{self.pi_refund_vnd}|"
            f"{self.savings_vnd}|{self.liability}|{self.mark_against_future}|{self.basis}"
        )
        return hashlib.sha256(shown.encode("utf-8")).hexdigest()[:32]


def round_half_up(value: Fraction) -> int:
    """A share of đồng to the whole đồng, halves away from zero."""
    return int(value + Fraction(1, 2)) if value >= 0 else -int(-value + Fraction(1, 2))


def percent(share: Fraction) -> str:
    return f"{float(share * 100):g}%"


def check_evaluation(
    ev: Evaluation, *, regime: str, funding_mode: str, used_vnd: int
) -> list[Violation]:
    """Everything the evaluation must hold before the project can close, at its fields."""
    if ev.rating == Rating.FAIL:
        return _check_failure(ev, regime=regime, used_vnd=used_vnd)
    if funding_mode == LUMP_SUM:
        return _check_indicators(ev)
    return []


def _check_failure(ev: Evaluation, *, regime: str, used_vnd: int) -> list[Violation]:
    found = [
        Violation(name, N_("Answer this condition: yes, no or not assessed."))
        for name, answer in ev.conditions.answers().items()
        if answer is None
    ]
    if regime == Regime.LEGACY:
        if ev.cause is None:
            found.append(
                Violation(
                    "failure_cause",
                    N_("Say whether the failure has an objective or a subjective cause."),
                )
            )
        return found
    if found:
        return found
    found += _check_outside_purpose(ev, used_vnd)
    if not ev.conditions.broken():
        found += [
            Violation(
                name,
                N_(
                    "A failed project cannot close as a compliant failure while a condition "
                    "is not assessed."
                ),
            )
            for name, answer in ev.conditions.answers().items()
            if answer == Answer.NOT_ASSESSED
        ]
    if ev.conditions.all_yes():
        if not evidence_entries(ev.evidence):
            found.append(
                Violation(
                    "evidence",
                    N_("A compliant failure needs the documents that show procedure was followed."),
                )
            )
        if not ev.conclusion.strip():
            found.append(
                Violation("conclusion", N_("A compliant failure needs the acceptance conclusion."))
            )
    return found


def _check_outside_purpose(ev: Evaluation, used_vnd: int) -> list[Violation]:
    amount = ev.outside_purpose_vnd
    if not 0 <= amount <= used_vnd:
        return [
            Violation(
                "outside_purpose_vnd",
                N_(
                    "The amount used outside the approved purpose or scope lies between 0 and "
                    "the funds used (%(used_vnd)s)."
                ),
                {"used_vnd": used_vnd},
            )
        ]
    if ev.conditions.funds_within_purpose == Answer.NO and (
        amount == 0 or not ev.outside_purpose_evidence.strip()
    ):
        return [
            Violation(
                "outside_purpose_vnd",
                N_(
                    "Enter the amount used outside the approved purpose or scope, with its "
                    "evidence."
                ),
            )
        ]
    if ev.conditions.funds_within_purpose != Answer.NO and amount:
        return [
            Violation(
                "outside_purpose_vnd",
                N_(
                    "An amount used outside the approved purpose or scope means that condition "
                    "is answered no."
                ),
            )
        ]
    return []


def _check_indicators(ev: Evaluation) -> list[Violation]:
    """A lump-sum task passes only with every committed quality indicator checked and met."""
    found = []
    for ident, met in ev.indicators.items():
        if met is None:
            found.append(
                Violation(f"indicator_{ident}", N_("Check this quality indicator: met or not met."))
            )
        elif not met:
            found.append(
                Violation(
                    f"indicator_{ident}",
                    N_("A lump-sum task cannot pass while a quality indicator is not met."),
                )
            )
        if met is not None and not ev.measured.get(ident, "").strip():
            found.append(Violation(f"measured_{ident}", N_("Give the measured value.")))
    return found


def evidence_entries(text: str) -> list[str]:
    """The evidence as entries, one document per line (blank lines ignored)."""
    return [line.strip() for line in text.splitlines() if line.strip()]


def consequences(
    ev: Evaluation,
    *,
    regime: RegimeSpan,
    funding_mode: str,
    disbursed_vnd: int,
    used_vnd: int,
    settings: CloseoutSettings = CloseoutSettings(),
) -> Consequence:
    """What follows from an acceptance evaluation that passed `check_evaluation`."""
    if not 0 <= used_vnd <= disbursed_vnd:
        raise ValueError("used funds must lie between 0 and the amount disbursed")
    unused = disbursed_vnd - used_vnd
    if ev.rating != Rating.FAIL:
        return _success(regime, funding_mode, unused)
    if regime.code == Regime.LEGACY:
        return _legacy_failure(ev, regime, unused, used_vnd, settings)
    return _new_regime_failure(ev, regime, unused, disbursed_vnd, settings)


def _success(regime: RegimeSpan, funding_mode: str, unused: int) -> Consequence:
    if funding_mode == LUMP_SUM:
        return Consequence(
            Outcome.SUCCESS,
            0,
            f"{regime.basis}; {SAVINGS_BASIS}",
            False,
            False,
            savings_vnd=unused,
            reason=REASONS["savings"],
        )
    return Consequence(
        Outcome.SUCCESS,
        unused,
        f"{regime.basis}: the unused balance returns",
        False,
        False,
        reason=REASONS["success"],
    )


def _legacy_failure(ev, regime, unused, used, settings: CloseoutSettings) -> Consequence:
    if ev.cause is None:
        raise ValueError("a legacy failure needs its cause")
    subjective = ev.cause == Cause.SUBJECTIVE
    share = settings.legacy_subjective_share if subjective else settings.legacy_objective_share
    refund = unused + round_half_up(share * used)
    host = round_half_up(settings.legacy_host_share * refund)
    return Consequence(
        Outcome.LEGACY_FAILURE,
        refund,
        f"{regime.basis}: failed for {'a subjective' if subjective else 'an objective'} cause; "
        f"the unused balance and {percent(share)} of the funds used return, "
        f"{percent(settings.legacy_host_share)} from the host organisation",
        subjective,
        subjective,
        host_refund_vnd=host,
        pi_refund_vnd=refund - host,
        reason=REASONS["subjective" if subjective else "objective"],
        reason_params={"share": share, "host_share": settings.legacy_host_share},
    )


def _new_regime_failure(ev, regime, unused, disbursed, settings: CloseoutSettings) -> Consequence:
    conditions = ev.conditions
    if conditions.all_yes():
        return Consequence(
            Outcome.COMPLIANT_FAILURE,
            unused,
            f"{regime.basis}: compliant failure; only the unused balance returns, with no "
            "liability and no mark against future applications",
            False,
            False,
            reason=REASONS["compliant"],
        )
    if not conditions.broken():
        raise ValueError("a failed project is closed with every condition assessed")
    if conditions.no_fraud == Answer.NO or settings.broken_condition_recovery == "full":
        why = (
            "fraud was found"
            if conditions.no_fraud == Answer.NO
            else "a condition is broken (closeout.broken_condition_recovery: full)"
        )
        return Consequence(
            Outcome.NONCOMPLIANT_FAILURE,
            disbursed,
            f"{regime.basis}: {why}; everything disbursed is recovered; a liability case is opened",
            True,
            True,
            reason=REASONS["fraud" if conditions.no_fraud == Answer.NO else "full"],
        )
    return Consequence(
        Outcome.NONCOMPLIANT_FAILURE,
        unused + ev.outside_purpose_vnd,
        f"{regime.basis}: a condition is broken; the unused balance and the amount used outside "
        "the approved purpose or scope return; a liability case is opened",
        True,
        True,
        reason=REASONS["proportionate"],
    )
