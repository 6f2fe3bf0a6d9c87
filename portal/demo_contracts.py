"""The demo's contract in force (issue 15): the proposal the demo council selected (the
RISC-V design of Đại học Bách khoa Hà Nội) is appraised — the fund's staff cut the personnel
line by 10% as the council asked, the PI accepts, the fund approves — and its contract is
drafted, made (PDF and DOCX), sent and signed by the fund (manager@example.org), the host's
officer (host@example.org) and the PI (applicant@example.org); in force, its award exists
and its advance is paid. Everything goes through the services, as the pages do."""

from sqlmodel import Session, select

from funds.accounts.models import User
from funds.appraisal import queries as appraisal_queries
from funds.appraisal import services as appraisal
from funds.appraisal.rules import BudgetProposal
from funds.contracts import services as contracts
from funds.proposals.models import Proposal, ProposalStatus
from portal.contracts.render import contract_documents

CUT_SHARE = 10  # per cent of the personnel line: "giảm 10% kinh phí thuê khoán" (the council)


def seed_contract(session: Session, *, people: dict[str, User]) -> None:
    """The selected proposal of applicant@example.org through appraisal to a contract in force."""
    manager, pi = people["manager@example.org"], people["applicant@example.org"]
    proposal = session.exec(
        select(Proposal).where(
            Proposal.pi_id == pi.id,
            Proposal.status == ProposalStatus.FUNDED,
            Proposal.host_id.is_not(None),  # type: ignore[union-attr]
        )
    ).first()
    if proposal is None:
        return
    a = appraisal.open_appraisal(session, actor=manager, proposal_id=proposal.id)
    line = max(appraisal_queries.budget_lines(session, a.id), key=lambda b: b.submitted_vnd)
    appraisal.save_appraisal(
        session,
        actor=manager,
        appraisal_id=a.id,
        budget={
            line.id: BudgetProposal(
                line.submitted_vnd * (100 - CUT_SHARE) // 100,
                "Theo kết luận của hội đồng: giảm 10% kinh phí thuê khoán chuyên môn.",
            )
        },
        work={},
    )
    appraisal.send_to_pi(session, actor=manager, appraisal_id=a.id)
    appraisal.answer_appraisal(
        session, actor=pi, appraisal_id=a.id, answers={("budget", line.id): ("accepted", "")}
    )
    appraisal.approve_appraisal(
        session,
        actor=manager,
        appraisal_id=a.id,
        conclusion="Nội dung đạt yêu cầu; kinh phí điều chỉnh theo kết luận của hội đồng.",
    )
    contract = contracts.draft_contract(session, actor=manager, proposal_id=proposal.id)
    document = contracts.generate_document(
        session, actor=manager, contract_id=contract.id, render=contract_documents
    )
    contracts.send_for_signature(session, actor=manager, contract_id=contract.id)
    for signer in (manager, people["host@example.org"], pi):
        contracts.sign_contract(
            session, actor=signer, contract_id=contract.id, sha256=document.sha256
        )
