"""The demo has a contract in force for its host organisation (issue 15): appraised with a
cut, signed by the fund, the host's officer and the PI, its advance paid; the README says so."""

from pathlib import Path

from sqlmodel import select

from funds.accounts.services import find_user_by_email
from funds.appraisal.models import AppraisalBudgetLine
from funds.contracts.models import Contract, ContractSignature
from funds.hosts.models import Host
from funds.projects.money.models import Movement
from funds.proposals.models import Proposal

README = Path(__file__).resolve().parents[2] / "README.md"


def test_the_demo_has_a_contract_in_force_for_its_host_with_its_advance(runner, session):
    assert "Demo data ready." in runner.invoke(args=["seed-demo"]).output
    contract = session.exec(select(Contract)).one()
    proposal = session.get(Proposal, contract.proposal_id)
    assert session.get(Host, proposal.host_id).name_vi == "Đại học Bách khoa Hà Nội"
    assert contract.status == "in_force"
    assert contract.number.startswith("HD-NAFOSTED-DEMO-")
    signers = {
        s.party: s.user_id
        for s in session.exec(
            select(ContractSignature).where(ContractSignature.contract_id == contract.id)
        ).all()
    }
    assert signers == {
        "fund": find_user_by_email(session, "manager@example.org").id,
        "host": find_user_by_email(session, "host@example.org").id,
        "pi": find_user_by_email(session, "applicant@example.org").id,
    }
    cut = session.exec(
        select(AppraisalBudgetLine).where(AppraisalBudgetLine.approved_vnd.is_not(None))
    ).all()
    assert any(b.approved_vnd < b.submitted_vnd for b in cut)
    advance = session.exec(
        select(Movement).where(Movement.award_id == contract.award_id, Movement.kind == "advance")
    ).one()
    assert advance.status == "paid"
    assert "contract in force" in README.read_text(encoding="utf-8")
