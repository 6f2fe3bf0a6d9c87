"""`flask indicators --from Y1 --to Y2 --format json`: the issue's command-line contract."""

import json
from datetime import date

from funds.compliance.models import NationalStatistics
from funds.projects import services as svc
from funds.proposals.services import record_decision

FIELDS = {
    "year",
    "id",
    "unit",
    "numerator",
    "denominator",
    "value",
    "target",
    "legal_basis",
    "provisional",
    "definition",
}


def test_every_indicator_of_every_year_keeps_the_json_contract(runner, make, session):
    pi = make.user("applicant")
    proposal = make.proposal(pi=pi, submit=True)
    record_decision(session, actor=make.manager(), proposal_id=proposal.id, outcome="funded")
    award = svc.create_award(
        session,
        actor=make.manager(),
        proposal_id=proposal.id,
        contract_number="HD-CLI",
        contract_date=date(2026, 1, 10),
        start_date=date(2026, 1, 15),
        end_date=date(2027, 12, 31),
    )
    patent = svc.record_output(
        session, actor=pi, award_id=award.id, kind="patent_grant", title="Bằng", year=2024
    )
    for n in range(3):  # Resolution 57-NQ/TW §II: one patent, three licences → 100%
        svc.record_output(
            session,
            actor=pi,
            award_id=award.id,
            kind="licence",
            title=f"Li-xăng {n}",
            year=2025,
            exploits_output_id=patent.id,
        )
    session.add(
        NationalStatistics(fiscal_year=2024, gdp_vnd=100, gerd_state_vnd=1, gerd_nonstate_vnd=1)
    )
    session.commit()
    result = runner.invoke(
        args=["indicators", "--from", "2023", "--to", "2024", "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    years = json.loads(result.output)
    assert [y["year"] for y in years] == [2023, 2024]
    for year in years:
        ids = [i["id"] for i in year["indicators"]]
        assert len(ids) == len(set(ids)) > 10
        for item in year["indicators"]:
            assert set(item) == FIELDS
            assert item["unit"] in ("share", "growth", "count", "days", "vnd")
            assert item["legal_basis"].split()[0] in ("res-57-nq-tw", "law-93-2025-qh15")
            assert isinstance(item["provisional"], bool)
            if item["unit"] == "share" and item["value"] is not None:
                assert 0 <= item["value"] <= 1
            if not item["denominator"] and item["unit"] in ("share", "growth", "days"):
                assert item["value"] is None
    by_id = {i["id"]: i for i in years[1]["indicators"]}
    rate = by_id["commercialisation_rate"]
    assert (rate["numerator"], rate["denominator"], rate["value"]) == (1, 1, 1.0)
    assert rate["legal_basis"] == "res-57-nq-tw §II"
    assert rate["target"] == "8–10% of patents exploited"
    assert by_id["gerd_share_of_gdp"]["value"] == 0.02
    assert {i["id"]: i for i in years[0]["indicators"]}["gerd_share_of_gdp"]["value"] is None


def test_the_years_must_run_forwards(runner):
    result = runner.invoke(args=["indicators", "--from", "2025", "--to", "2024"])
    assert result.exit_code != 0
