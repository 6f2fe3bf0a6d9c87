"""Indicators on a real database: exploitations linked to patents, counterpart funds carried
into the ledger by year, national statistics (Resolution 57-NQ/TW §II)."""

from datetime import date

import pytest
from sqlmodel import select

from funds.compliance.models import NationalStatistics
from funds.errors import RuleViolation
from funds.portfolio.models import PortfolioLine
from funds.projects import queries
from funds.projects import services as svc
from funds.projects.models import AwardBudgetLine
from funds.proposals.services import record_decision


@pytest.fixture
def award_of(make, session):
    def build(number="HD-1", **proposal_kw):
        pi = make.user("applicant")
        proposal = make.proposal(pi=pi, submit=True, **proposal_kw)
        record_decision(session, actor=make.manager(), proposal_id=proposal.id, outcome="funded")
        award = svc.create_award(
            session,
            actor=make.manager(),
            proposal_id=proposal.id,
            contract_number=number,
            contract_date=date(2026, 1, 10),
            start_date=date(2026, 1, 15),
            end_date=date(2027, 12, 31),
        )
        session.commit()
        return pi, award

    return build


def _output(session, actor, award, kind, year, exploits=None):
    return svc.record_output(
        session,
        actor=actor,
        award_id=award.id,
        kind=kind,
        title=f"{kind} {year}",
        year=year,
        exploits_output_id=exploits,
    )


def test_one_grant_with_three_licences_is_one_exploited_patent_res_57_nq_tw_ii(award_of, session):
    pi, award = award_of()
    patent = _output(session, pi, award, "patent_grant", 2024)
    for year in (2024, 2025, 2026):
        _output(session, pi, award, "licence", year, exploits=patent.id)
    _output(session, pi, award, "own_production", 2025, exploits=patent.id)
    session.commit()
    found = {i.id: i for i in queries.indicator_report(session, None, range(2024, 2025))[2024]}
    rate = found["commercialisation_rate"]
    assert (rate.numerator, rate.denominator, rate.value) == (1, 1, 1)
    assert [p.id for p in queries.granted_patents(session, award.id)] == [patent.id]


def test_an_exploitation_must_point_to_a_granted_patent_of_the_same_project(award_of, session):
    pi, award = award_of("HD-1")
    other_pi, other = award_of("HD-2")
    theirs = _output(session, other_pi, other, "patent_grant", 2024)
    paper = _output(session, pi, award, "publication", 2024)
    ours = _output(session, pi, award, "patent_grant", 2024)
    for kind, target in (("licence", theirs.id), ("licence", paper.id), ("publication", ours.id)):
        with pytest.raises(RuleViolation, match="patent"):
            _output(session, pi, award, kind, 2025, exploits=target)
    assert _output(session, pi, award, "transfer", 2025, exploits=ours.id).exploits_output_id


def test_counterpart_funds_of_the_proposal_enter_the_ledger_by_year_and_source(award_of, session):
    """The fund's own co-funding ratio: non-state ÷ total committed, from the ledger."""
    _pi, award = award_of(
        requested_vnd=600,
        budget_lines=[("personnel", 2026, 600)],
        counterparts=[("Công ty A", 300, 2026), ("Công ty B", 100, 2027), ("Quỹ C", 50, None)],
    )
    lines = session.exec(select(AwardBudgetLine).where(AwardBudgetLine.award_id == award.id)).all()
    assert {(b.fiscal_year, b.source, b.amount_vnd) for b in lines} == {
        (2026, "state", 600),
        (2026, "nonstate", 350),  # no year: the project's first year
        (2027, "nonstate", 100),
    }
    ledger = session.exec(
        select(PortfolioLine).where(
            PortfolioLine.project_code == award.contract_number, PortfolioLine.basis == "committed"
        )
    ).all()
    assert {(p.fiscal_year, p.source, p.amount_vnd) for p in ledger} == {
        (2026, "state", 600),
        (2026, "nonstate", 350),
        (2027, "nonstate", 100),
    }
    report = queries.indicator_report(session, [award.id], range(2026, 2028))
    ratio = {y: next(i for i in r if i.id == "fund_cofunding_ratio") for y, r in report.items()}
    assert (ratio[2026].numerator, ratio[2026].denominator) == (350, 950)
    assert ratio[2027].value == 1


def test_gerd_shares_read_the_imported_national_statistics(session):
    session.add(
        NationalStatistics(
            fiscal_year=2024, gdp_vnd=1000, gerd_state_vnd=4, gerd_nonstate_vnd=6, source="GSO"
        )
    )
    session.commit()
    report = queries.indicator_report(session, None, range(2024, 2026))
    gdp = {y: next(i for i in r if i.id == "gerd_share_of_gdp").value for y, r in report.items()}
    assert gdp[2024] * 100 == 1
    assert gdp[2025] is None  # not imported


def test_an_exploitation_recorded_unlinked_counts_once_linked_res_57_nq_tw_ii(award_of, session):
    """Licences recorded before the link existed are linked afterwards, and then count."""
    pi, award = award_of()
    patent = _output(session, pi, award, "patent_grant", 2024)
    licence = _output(session, pi, award, "licence", 2025)
    session.commit()

    def rate():
        report = queries.indicator_report(session, None, range(2024, 2025))[2024]
        return {i.id: i for i in report}["commercialisation_rate"].value

    assert rate() == 0
    svc.link_exploitation(session, actor=pi, output_id=licence.id, patent_output_id=patent.id)
    assert rate() == 1
    with pytest.raises(RuleViolation):
        svc.link_exploitation(session, actor=pi, output_id=patent.id, patent_output_id=patent.id)
    _other_pi, other = award_of("HD-2")
    foreign = _output(session, _other_pi, other, "patent_grant", 2024)
    with pytest.raises(RuleViolation):
        svc.link_exploitation(session, actor=pi, output_id=licence.id, patent_output_id=foreign.id)


def test_an_output_import_links_a_licence_to_the_patent_by_its_number(award_of, session, make):
    from funds.projects.bulk import import_outputs
    from funds.projects.models import Output

    award_of()
    manager = make.manager()
    rows = [
        {
            "contract_number": "HD-1",
            "kind": "patent_grant",
            "title": "Bằng",
            "year": "2024",
            "reference": "VN-1-2024-001",
        },
        {
            "contract_number": "HD-1",
            "kind": "licence",
            "title": "Li-xăng",
            "year": "2025",
            "exploits_patent": "VN-1-2024-001",
        },
    ]
    assert import_outputs(session, actor=manager, rows=rows) == 2
    licence = session.exec(select(Output).where(Output.kind == "licence")).one()
    patent = session.exec(select(Output).where(Output.kind == "patent_grant")).one()
    assert licence.exploits_output_id == patent.id
    bad = [dict(rows[1], exploits_patent="VN-9")]
    with pytest.raises(RuleViolation) as exc:
        import_outputs(session, actor=manager, rows=bad)
    assert "VN-9" in exc.value.violations[0].params["problem"]
