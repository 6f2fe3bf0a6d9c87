"""Reads and writes of closeout regimes and quality indicators, called by the project services
(award creation, the regime override and the acceptance evaluation in funds.projects)."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, col, select

from funds.clock import utcnow
from funds.errors import N_, RuleViolation
from funds.legal import settings as legal_settings
from funds.legal.models import LegalInstrument
from funds.projects.regimes.models import CloseoutRegime, QualityIndicator
from funds.projects.regimes.rules import LUMP_SUM, CloseoutSettings, RegimeSpan, regime_on
from funds.rules import Violation


@dataclass(frozen=True)
class CommittedIndicator:
    """A quality indicator of a lump-sum product as committed in the contract."""

    product: str
    name: str
    target: str = ""
    unit: str = ""


def _display(instrument: LegalInstrument | None) -> str:
    return f"{instrument.kind.capitalize()} {instrument.number}" if instrument else ""


def regime_spans(session: Session) -> list[RegimeSpan]:
    """Every closeout regime as data, oldest first, with its instruments' names."""
    names = {i.code: i for i in session.exec(select(LegalInstrument)).all()}
    rows = session.exec(select(CloseoutRegime).order_by(col(CloseoutRegime.effective_from))).all()
    return [
        RegimeSpan(
            code=r.code,
            instrument=_display(names.get(r.instrument_code)),
            article=r.article,
            effective_from=r.effective_from,
            effective_to=r.effective_to,
            related=_display(names.get(r.related_instrument_code or "")),
        )
        for r in rows
    ]


def regime_span(session: Session, code: str) -> RegimeSpan:
    return next(s for s in regime_spans(session) if s.code == code)


def regime_for_contract(session: Session, contract_date: date) -> RegimeSpan:
    """The closeout regime a contract signed on this date falls under."""
    span = regime_on(regime_spans(session), contract_date)
    if span is None:
        raise RuleViolation(
            N_("No closeout regime covers the contract date %(date)s."),
            [Violation("contract_date", N_("No closeout regime covers this date."))],
            date=contract_date,
        )
    return span


def closeout_settings(session: Session) -> CloseoutSettings:
    """The closeout.* legal settings in force (an administrator's value, else the default)."""
    return CloseoutSettings(
        legacy_objective_share=legal_settings.value(session, "closeout.legacy_objective_share"),
        legacy_subjective_share=legal_settings.value(session, "closeout.legacy_subjective_share"),
        legacy_host_share=legal_settings.value(session, "closeout.legacy_host_share"),
        broken_condition_recovery=legal_settings.value(
            session, "closeout.broken_condition_recovery"
        ),
    )


def check_committed(funding_mode: str, indicators: Sequence[CommittedIndicator]) -> None:
    """Lump-sum funding commits at least one product quality indicator; itemised none."""
    if funding_mode == LUMP_SUM and not indicators:
        raise RuleViolation(
            N_("Lump-sum funding commits at least one product quality indicator."),
            [Violation("indicators", N_("Give each product with its quality indicators."))],
        )
    if funding_mode != LUMP_SUM and indicators:
        raise RuleViolation(
            N_("Quality indicators are committed for lump-sum funding only."),
            [Violation("indicators", N_("Quality indicators are for lump-sum funding only."))],
        )
    if any(not (i.product.strip() and i.name.strip()) for i in indicators):
        raise RuleViolation(
            N_("Each quality indicator names its product and the indicator."),
            [Violation("indicators", N_("Each row needs a product and an indicator."))],
        )


def add_indicators(
    session: Session, award_id: int, indicators: Sequence[CommittedIndicator]
) -> None:
    for i in indicators:
        session.add(
            QualityIndicator(
                award_id=award_id,
                product=i.product.strip(),
                name=i.name.strip(),
                target=i.target.strip(),
                unit=i.unit.strip(),
            )
        )


def quality_indicators(session: Session, award_id: int) -> list[QualityIndicator]:
    return list(
        session.exec(
            select(QualityIndicator)
            .where(QualityIndicator.award_id == award_id)
            .order_by(col(QualityIndicator.id))
        ).all()
    )


def record_checks(
    session: Session,
    indicators: Sequence[QualityIndicator],
    met: Mapping[int, bool | None],
    measured: Mapping[int, str],
) -> None:
    """Each indicator's check at acceptance (met or not, the measured value)."""
    now = utcnow()
    for indicator in indicators:
        if met.get(indicator.id) is None:
            continue
        indicator.met = met[indicator.id]
        indicator.measured = measured.get(indicator.id, "").strip()
        indicator.checked_at = now
        session.add(indicator)
