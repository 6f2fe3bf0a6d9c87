"""Appraisal and contracts on a real database (both backends): an appraisal cut flowing into
the contract's annexes, the award's budget and the ledger; the contract's PDF and DOCX read
back with Vietnamese diacritics and annex totals equal to the approved budget; the three
signatures with their hashes bringing it into force with the advance paid; a regenerated
version needing new signatures; the per-fund number sequence; who sees a contract."""

import threading
from datetime import timedelta
from io import BytesIO

import pytest
from docx import Document
from pypdf import PdfReader
from sqlalchemy.orm import Session as OrmSession
from sqlmodel import select

from funds.appraisal import services as appraisal
from funds.appraisal.rules import BudgetProposal
from funds.audit.models import AuditEntry
from funds.contracts import queries
from funds.contracts import services as contracts
from funds.contracts.models import ContractStatus
from funds.contracts.services import ProductTerm
from funds.errors import InvalidTransition, NotAllowed, NotFound, RuleViolation
from funds.portfolio.models import PortfolioLine
from funds.projects.models import Award, AwardBudgetLine, Milestone
from funds.projects.money.models import Movement
from portal.contracts.render import contract_documents
from tests.contracts_data import CUT, M, appraised, drafted, selected

APPROVED = 1_500 * M - CUT


@pytest.fixture
def ctx(app):
    with app.test_request_context():
        yield


def _generate(session, s, c):
    doc = contracts.generate_document(
        session, actor=s.manager, contract_id=c.id, render=contract_documents
    )
    session.commit()
    return doc


def _sign_all(session, s, c, doc):
    for who in (s.manager, s.officer, s.pi):
        contracts.sign_contract(session, actor=who, contract_id=c.id, sha256=doc.sha256)
    session.commit()


def test_an_appraisal_cut_flows_into_the_contract_the_award_and_the_ledger(session, make, ctx):
    s = selected(make, session)
    c = drafted(session, s)
    record = queries.contract_record(session, c)
    assert record.total_vnd == APPROVED
    assert [d.line.category for d in record.differences_budget] == ["personnel"]
    doc = _generate(session, s, c)
    contracts.send_for_signature(session, actor=s.manager, contract_id=c.id)
    _sign_all(session, s, c, doc)

    session.refresh(c)
    assert c.status == ContractStatus.IN_FORCE
    assert c.signed_on is not None
    award = session.get_one(Award, c.award_id)
    assert (award.contract_number, award.contract_date) == (c.number, c.signed_on)
    state = session.exec(
        select(AwardBudgetLine).where(
            AwardBudgetLine.award_id == award.id, AwardBudgetLine.source == "state"
        )
    ).all()
    assert sum(b.amount_vnd for b in state) == APPROVED
    committed = session.exec(
        select(PortfolioLine).where(
            PortfolioLine.project_code == c.number,
            PortfolioLine.basis == "committed",
            PortfolioLine.source == "state",
        )
    ).all()
    assert sum(line.amount_vnd for line in committed) == APPROVED
    milestones = session.exec(select(Milestone).where(Milestone.award_id == award.id)).all()
    assert [m.task for m in milestones] == ["Tổng hợp vật liệu", "Chế tạo pin thử nghiệm"]
    advance = session.exec(
        select(Movement).where(Movement.award_id == award.id, Movement.kind == "advance")
    ).one()
    assert advance.status == "paid"
    assert advance.amount_vnd == APPROVED * 3 // 10
    disbursed = session.exec(
        select(PortfolioLine).where(
            PortfolioLine.project_code == c.number, PortfolioLine.basis == "disbursed"
        )
    ).all()
    assert sum(line.amount_vnd for line in disbursed) == advance.amount_vnd


def test_the_pdf_and_the_docx_read_back_in_vietnamese_with_annex_totals_equal_to_the_budget(
    session, make, ctx
):
    s = selected(make, session)
    c = drafted(session, s)
    doc = _generate(session, s, c)
    total = f"{APPROVED:,}".replace(",", ".")
    pdf = " ".join(
        " ".join((p.extract_text() or "").split()) for p in PdfReader(BytesIO(doc.pdf)).pages
    )
    for text in (
        "HỢP ĐỒNG THỰC HIỆN NHIỆM VỤ",
        c.number,
        "Đại học Bách khoa Hà Nội",
        "Vật liệu nano cho pin natri-ion",
        "Phụ lục 2",
        total,
    ):
        assert text in pdf, text
    word = Document(BytesIO(doc.docx))
    paragraphs = "\n".join(p.text for p in word.paragraphs)
    assert "Bên nhận nhiệm vụ (Bên B): Đại học Bách khoa Hà Nội" in paragraphs
    assert f"Kinh phí từ ngân sách nhà nước: {total} đồng" in paragraphs
    budget = next(t for t in word.tables if t.rows[0].cells[1].text.isdigit())
    assert budget.rows[-1].cells[-1].text.startswith(total)
    schedule = next(t for t in word.tables if t.rows[0].cells[0].text == "Khoản thanh toán")
    assert schedule.rows[-1].cells[-1].text.startswith(total)
    assert doc.sha256 != doc.docx_sha256
    assert len(doc.sha256) == 64


def test_three_signatures_record_the_hash_and_a_new_version_needs_new_ones(session, make, ctx):
    s = selected(make, session)
    c = drafted(session, s)
    first = _generate(session, s, c)
    contracts.send_for_signature(session, actor=s.manager, contract_id=c.id)
    contracts.sign_contract(session, actor=s.manager, contract_id=c.id, sha256=first.sha256)
    contracts.sign_contract(session, actor=s.officer, contract_id=c.id, sha256=first.sha256)
    session.commit()
    with pytest.raises(NotAllowed):  # the host has signed this version already
        contracts.sign_contract(session, actor=s.officer, contract_id=c.id, sha256=first.sha256)
    session.rollback()
    contracts.return_to_draft(session, actor=s.manager, contract_id=c.id)
    record = queries.contract_record(session, c)
    contracts.update_terms(
        session,
        actor=s.manager,
        contract_id=c.id,
        start_date=c.start_date,
        end_date=c.end_date + timedelta(days=31),
        funding_mode="itemised",
        products=[ProductTerm(p.product, p.indicator, p.target, p.unit) for p in record.products],
        tranches={w.line_id: w.tranche_vnd for w in record.work},
    )
    second = _generate(session, s, c)
    assert second.sha256 != first.sha256
    contracts.send_for_signature(session, actor=s.manager, contract_id=c.id)
    session.commit()
    assert queries.signed_parties(session, second.id) == set()
    with pytest.raises(InvalidTransition, match="not the version you were shown"):
        contracts.sign_contract(session, actor=s.pi, contract_id=c.id, sha256=first.sha256)
    session.rollback()
    _sign_all(session, s, c, second)
    session.refresh(c)
    assert c.status == ContractStatus.IN_FORCE
    rows = queries.signatures(session, c.id)
    assert [(r.party, r.document_id) for r in rows[-3:]] == [
        ("fund", second.id),
        ("host", second.id),
        ("pi", second.id),
    ]
    assert all(r.sha256 == second.sha256 and r.signed_at for r in rows[-3:])
    signed = session.exec(
        select(AuditEntry.detail).where(
            AuditEntry.object_type == "contract", AuditEntry.action == "sign"
        )
    ).all()
    assert len(signed) == 5
    assert all("sha256=" in d for d in signed)


def test_a_signature_before_the_contract_is_sent_is_refused(session, make, ctx):
    s = selected(make, session)
    c = drafted(session, s)
    doc = _generate(session, s, c)
    with pytest.raises(NotAllowed):
        contracts.sign_contract(session, actor=s.pi, contract_id=c.id, sha256=doc.sha256)


def test_contract_numbers_follow_each_funds_sequence(session, make):
    fund, other = make.fund(code="NAFOSTED"), make.fund(code="NATIF")
    host = make.host()
    numbers = []
    for f in (fund, fund, other):
        s = selected(make, session, fund=f, host=host)
        numbers.append(drafted(session, s).number)
    year = numbers[0].split("-")[2]
    assert numbers == [
        f"HD-NAFOSTED-{year}-0001",
        f"HD-NAFOSTED-{year}-0002",
        f"HD-NATIF-{year}-0001",
    ]


@pytest.mark.postgres_only
def test_two_transactions_never_take_the_same_number(session, make, app):
    if session.get_bind().dialect.name != "postgresql":
        pytest.skip("row locks: PostgreSQL")
    fund = make.fund(code="RACE")
    engine = app.extensions["rdfund.engine"]
    first = OrmSession(engine)
    n1 = contracts.next_number(first, fund_id=fund.id, year=2030)
    got = []

    def second():
        with OrmSession(engine) as s2:
            got.append(contracts.next_number(s2, fund_id=fund.id, year=2030))
            s2.commit()

    t = threading.Thread(target=second)
    t.start()
    t.join(timeout=1)
    assert t.is_alive()  # waits for the first transaction's row lock
    first.commit()
    first.close()
    t.join(timeout=10)
    assert (n1, got) == (1, [2])


def test_only_the_parties_see_a_contract(session, make):
    s = selected(make, session)
    c = drafted(session, s)
    other_officer = make.host_officer(make.host())
    for outsider in (other_officer, make.user("applicant"), make.user("reviewer")):
        with pytest.raises(NotFound):
            contracts.get_contract_for(session, actor=outsider, contract_id=c.id)
    for party in (s.manager, s.officer, s.pi):
        assert contracts.get_contract_for(session, actor=party, contract_id=c.id)


def test_a_cut_needs_its_reason_and_the_appraisal_never_gives_more_than_asked(session, make):
    s = selected(make, session)
    a = appraisal.open_appraisal(session, actor=s.manager, proposal_id=s.proposal.id)
    line = next(iter(appraisal_queries_lines(session, a.id)))
    with pytest.raises(RuleViolation) as no_reason:
        appraisal.save_appraisal(
            session,
            actor=s.manager,
            appraisal_id=a.id,
            budget={line.id: BudgetProposal(line.submitted_vnd - M, "")},
            work={},
        )
    assert [v.message for v in no_reason.value.violations] == [
        "Give the reason for each change to the budget."
    ]
    with pytest.raises(RuleViolation) as too_much:
        appraisal.save_appraisal(
            session,
            actor=s.manager,
            appraisal_id=a.id,
            budget={line.id: BudgetProposal(line.submitted_vnd + M, "Thêm thiết bị")},
            work={},
        )
    assert "exceeds the request" in too_much.value.violations[0].message
    with pytest.raises(NotAllowed):  # the PI never appraises their own proposal
        appraisal.save_appraisal(session, actor=s.pi, appraisal_id=a.id, budget={}, work={})


def appraisal_queries_lines(session, appraisal_id):
    from funds.appraisal.queries import budget_lines

    return budget_lines(session, appraisal_id)


def test_a_disputed_cut_kept_by_the_manager_stays_as_submitted(session, make):
    s = selected(make, session)
    a = appraisal.open_appraisal(session, actor=s.manager, proposal_id=s.proposal.id)
    line = appraisal_queries_lines(session, a.id)[0]
    appraisal.save_appraisal(
        session,
        actor=s.manager,
        appraisal_id=a.id,
        budget={line.id: BudgetProposal(line.submitted_vnd - M, "Giảm")},
        work={},
    )
    appraisal.send_to_pi(session, actor=s.manager, appraisal_id=a.id)
    with pytest.raises(RuleViolation):  # an answer needs its text
        appraisal.answer_appraisal(
            session, actor=s.pi, appraisal_id=a.id, answers={("budget", line.id): ("answered", "")}
        )
    appraisal.answer_appraisal(
        session,
        actor=s.pi,
        appraisal_id=a.id,
        answers={("budget", line.id): ("answered", "Thiết bị đã được báo giá.")},
    )
    appraisal.approve_appraisal(
        session, actor=s.manager, appraisal_id=a.id, keep_submitted={("budget", line.id)}
    )
    session.refresh(line)
    assert line.approved_vnd == line.submitted_vnd


def test_the_appointment_of_an_appraiser_checks_conflicts(session, make):
    from reviews.appraisal.services import appoint_appraiser

    s = selected(make, session)
    a = appraisal.open_appraisal(session, actor=s.manager, proposal_id=s.proposal.id)
    colleague = make.user("reviewer", institution="ĐH Bách khoa Hà Nội")
    with pytest.raises(RuleViolation, match="conflict of interest"):
        appoint_appraiser(session, actor=s.manager, appraisal_id=a.id, user_id=colleague.id)
    outside = make.user("reviewer", institution="Viện Vật lý")
    row = appoint_appraiser(session, actor=s.manager, appraisal_id=a.id, user_id=outside.id)
    assert row.user_id == outside.id
    appraisal.save_appraisal(session, actor=outside, appraisal_id=a.id, budget={}, work={})


def test_a_template_with_an_unknown_placeholder_is_refused_and_a_new_version_is_used(
    session, make, ctx
):
    s = selected(make, session)
    fund_id = s.proposal.call.fund_id
    with pytest.raises(RuleViolation, match="Unknown placeholders"):
        contracts.save_template(session, actor=s.manager, fund_id=fund_id, body="${__class__}")
    with pytest.raises(RuleViolation):
        contracts.save_template(
            session, actor=s.manager, fund_id=fund_id, body="{{ config }} ${bogus_name}"
        )
    contracts.save_template(
        session,
        actor=s.manager,
        fund_id=fund_id,
        body="# HỢP ĐỒNG ${contract_number}\nGiá 100$$ — ${host_name}",
    )
    c = drafted(session, s)
    record = queries.contract_record(session, c)
    assert record.body == f"# HỢP ĐỒNG {c.number}\nGiá 100$ — Đại học Bách khoa Hà Nội"
    assert record.template_version == 1


def test_the_appraisal_used_by_create_award_without_a_contract(session, make):
    """A manager recording a contract signed on paper still gets the approved budget."""
    from datetime import date

    from funds.projects import services as svc

    s = selected(make, session)
    appraised(session, s)
    award = svc.create_award(
        session,
        actor=s.manager,
        proposal_id=s.proposal.id,
        contract_number="HD-GIAY-01",
        contract_date=date(2026, 3, 1),
        start_date=date(2026, 3, 1),
        end_date=date(2028, 2, 28),
    )
    lines = session.exec(select(AwardBudgetLine).where(AwardBudgetLine.award_id == award.id)).all()
    assert sum(b.amount_vnd for b in lines) == APPROVED


def test_an_approved_change_request_renders_as_a_numbered_amendment(session, make, ctx):
    from funds.projects.changes import services as changes
    from portal.contracts.render import amendments_pdf

    s = selected(make, session)
    c = drafted(session, s)
    doc = _generate(session, s, c)
    contracts.send_for_signature(session, actor=s.manager, contract_id=c.id)
    _sign_all(session, s, c, doc)
    session.refresh(c)
    change = changes.request_change(
        session, actor=s.pi, award_id=c.award_id, kind="scope", reason="Bổ sung thử nghiệm độ bền"
    )
    changes.decide_change(
        session, actor=s.manager, change_id=change.id, approve=True, note="Đồng ý bổ sung"
    )
    session.commit()
    record = queries.contract_record(session, c)
    assert [a.number for a in record.amendments] == [1]
    text = " ".join(
        " ".join((p.extract_text() or "").split())
        for p in PdfReader(BytesIO(amendments_pdf(record))).pages
    )
    assert f"Phụ lục sửa đổi, bổ sung hợp đồng {c.number}" in text
    assert "Phụ lục sửa đổi, bổ sung số 1" in text
