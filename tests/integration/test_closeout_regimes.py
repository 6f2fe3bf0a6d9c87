"""Closeout regimes on a real database: seeded by migration 0016_closeout, chosen at award
creation from the contract date, overridden only with a reason, and closing the project."""

from datetime import date

import pytest
from sqlmodel import select

from funds.accounts.models import User
from funds.audit.models import AuditEntry
from funds.errors import NotAllowed, RuleViolation
from funds.legal.models import LegalSetting
from funds.projects import closeout as co
from funds.projects import services as svc
from funds.projects.money.models import Movement
from funds.projects.regimes.models import CloseoutRegime, QualityIndicator
from funds.projects.regimes.rules import ALL_YES, Evaluation, Rating
from funds.projects.regimes.services import CommittedIndicator, regime_spans
from funds.proposals.models import Proposal
from funds.proposals.services import record_decision


@pytest.fixture
def award_on(make, session):
    """An award of 1,000 M đồng signed on the given date."""

    def build(contract_date, *, mode="itemised", indicators=()):
        proposal = make.proposal(pi=make.user("applicant"), submit=True)
        record_decision(session, actor=make.manager(), proposal_id=proposal.id, outcome="funded")
        award = svc.create_award(
            session,
            actor=make.manager(),
            proposal_id=proposal.id,
            contract_number=f"HD-{proposal.id}",
            contract_date=contract_date,
            start_date=date(2026, 1, 15),
            end_date=date(2027, 12, 31),
            funding_mode=mode,
            indicators=indicators,
        )
        session.commit()
        return award

    return build


def test_the_migration_seeds_the_three_regimes_with_their_instruments(session):
    """Circular 27/2015, Resolution 193/2025/QH15 Art. 4 and Law 93/2025/QH15 Art. 9."""
    rows = {r.code: r for r in session.exec(select(CloseoutRegime)).all()}
    assert (rows["legacy"].instrument_code, rows["legacy"].effective_to) == (
        "circular-27-2015-ttlt-bkhcn-btc",
        date(2025, 2, 18),
    )
    assert (rows["res193"].instrument_code, rows["res193"].effective_from) == (
        "res-193-2025-qh15",
        date(2025, 2, 19),
    )
    assert rows["res193"].related_instrument_code == "decree-88-2025-nd-cp"
    assert (rows["law93"].article, rows["law93"].effective_from) == ("Art. 9", date(2025, 10, 1))
    assert [s.basis for s in regime_spans(session)][1] == (
        "Resolution 193/2025/QH15 Art. 4; Decree 88/2025/NĐ-CP"
    )


@pytest.mark.parametrize(
    "contract, regime, basis",
    [
        (date(2025, 2, 1), "legacy", "Circular 27/2015/TTLT-BKHCN-BTC"),
        (date(2025, 3, 1), "res193", "Resolution 193/2025/QH15 Art. 4"),
        (date(2025, 11, 1), "law93", "Law 93/2025/QH15 Art. 9"),
    ],
)
def test_the_award_stores_the_regime_of_its_contract_date(award_on, contract, regime, basis):
    award = award_on(contract)
    assert award.regime_code == regime
    assert award.regime_basis.startswith(basis)


def test_a_lump_sum_award_commits_its_quality_indicators(award_on, session):
    """Resolution 193/2025/QH15 Art. 4: lump sum with the product's key quality indicators."""
    with pytest.raises(RuleViolation):
        award_on(date(2025, 11, 1), mode="lump_sum")
    award = award_on(
        date(2025, 11, 1),
        mode="lump_sum",
        indicators=[CommittedIndicator("Mẫu pin", "Dung lượng", "≥ 10", "Ah")],
    )
    rows = session.exec(select(QualityIndicator).where(QualityIndicator.award_id == award.id))
    assert [(r.product, r.name, r.target, r.unit, r.met) for r in rows] == [
        ("Mẫu pin", "Dung lượng", "≥ 10", "Ah", None)
    ]


def test_an_override_without_a_reason_is_refused(award_on, make, session):
    """Resolution 193/2025/QH15 transitional cases: only with a logged reason."""
    award = award_on(date(2025, 1, 10))
    with pytest.raises(RuleViolation) as refused:
        co.override_regime(
            session, actor=make.manager(), award_id=award.id, regime_code="res193", reason="  "
        )
    assert [v.field for v in refused.value.violations] == ["reason"]
    assert award.regime_code == "legacy"


def test_an_override_with_a_reason_is_audited(award_on, make, session):
    """Resolution 193/2025/QH15: a contract of Jan 2025 closed under the new regime."""
    award = award_on(date(2025, 1, 10))
    co.override_regime(
        session,
        actor=make.manager(),
        award_id=award.id,
        regime_code="res193",
        reason="Nhiệm vụ chuyển tiếp theo Điều 4",
    )
    assert (award.regime_code, award.regime_override_reason) == (
        "res193",
        "Nhiệm vụ chuyển tiếp theo Điều 4",
    )
    entry = session.exec(
        select(AuditEntry).where(
            AuditEntry.object_id == award.id, AuditEntry.action == "override_regime"
        )
    ).one()
    assert (entry.from_state, entry.to_state, entry.detail) == (
        "legacy",
        "res193",
        "Nhiệm vụ chuyển tiếp theo Điều 4",
    )


def test_no_override_to_earlier_rules_nor_when_the_setting_forbids_it(award_on, make, session):
    """Law 93/2025/QH15 contracts stay under it; closeout.transitional_override = false."""
    award = award_on(date(2025, 11, 1))
    with pytest.raises(RuleViolation):
        co.override_regime(
            session, actor=make.manager(), award_id=award.id, regime_code="legacy", reason="x"
        )
    session.add(LegalSetting(key="closeout.transitional_override", value="false", reason="t"))
    session.flush()
    with pytest.raises(NotAllowed):
        co.override_regime(
            session, actor=make.manager(), award_id=award.id, regime_code="law93", reason="x"
        )


def test_res193_compliant_failure_of_1_mar_2025_refunds_exactly_the_unused_100m(
    award_on, make, session
):
    """Resolution 193/2025/QH15 Art. 4: 1,000 M paid, 900 M used → 100 M, no liability."""
    award = award_on(date(2025, 3, 1))
    pi = session.get(User, session.get(Proposal, award.proposal_id).pi_id)
    session.add(
        Movement(
            award_id=award.id,
            kind="tranche",
            amount_vnd=1_000_000_000,
            fiscal_year=2026,
            status="paid",
        )
    )
    session.flush()
    co.submit_final_report(
        session, actor=pi, award_id=award.id, text="Tổng kết", used_vnd=900_000_000
    )
    closed = co.evaluate_and_close(
        session,
        actor=make.manager(),
        award_id=award.id,
        evaluation=Evaluation(
            Rating.FAIL, ALL_YES, evidence="Biên bản 1\nBiên bản 2", conclusion="Đúng quy trình"
        ),
    )
    assert (closed.outcome, closed.refund_vnd) == ("compliant_failure", 100_000_000)
    assert (closed.liability_case, closed.mark_against_future) == (False, False)
    assert closed.evidence == "Biên bản 1\nBiên bản 2"
    assert closed.procedures_followed == "yes"
