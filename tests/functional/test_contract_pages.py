"""The appraisal and the contract over HTTP: a cut typed badly comes back as typed with its
message, then saved; the PI accepts; the manager approves; the contract is drafted, made,
sent and signed by the three parties on the hash shown; its PDF and DOCX download; a host
officer of another host gets 404 everywhere."""

import re

from sqlmodel import select

from funds.appraisal.models import Appraisal, AppraisalBudgetLine
from funds.contracts.models import Contract, ContractDocument
from funds.projects.money.models import Movement
from tests.contracts_data import M, selected


def _hash(page: str) -> str:
    return re.search(r'id="sign-hash">([0-9a-f]{64})<', page).group(1)


def test_an_appraisal_and_a_contract_through_the_pages(client, make, session):
    s = selected(make, session)
    pid = s.proposal.id
    client.login(s.manager.email)
    r = client.post_form(f"/appraisal/proposals/{pid}/open", {})
    assert r.status_code == 302
    aid = session.exec(select(Appraisal.id).where(Appraisal.proposal_id == pid)).one()
    line = session.exec(
        select(AppraisalBudgetLine).where(
            AppraisalBudgetLine.appraisal_id == aid, AppraisalBudgetLine.category == "personnel"
        )
    ).first()
    bad = client.post_form(
        f"/appraisal/{aid}/lines",
        {f"b-{line.id}-amount": "5,5 triệu", f"b-{line.id}-reason": "Giảm"},
    )
    page = bad.get_data(as_text=True)
    assert bad.status_code == 400
    assert 'value="5,5 triệu"' in page
    no_reason = client.post_form(f"/appraisal/{aid}/lines", {f"b-{line.id}-amount": "540.000.000"})
    assert no_reason.status_code == 400
    assert "540.000.000" in no_reason.get_data(as_text=True)
    ok = client.post_form(
        f"/appraisal/{aid}/lines",
        {f"b-{line.id}-amount": "540.000.000", f"b-{line.id}-reason": "Giảm 10% thuê khoán"},
    )
    assert ok.status_code == 302
    assert client.post_form(f"/appraisal/{aid}/send", {}).status_code == 302
    client.logout()

    client.login(s.pi.email)
    page = client.get(f"/appraisal/{aid}").get_data(as_text=True)
    assert "Giảm 10% thuê khoán" in page
    assert client.post_form(f"/appraisal/{aid}/answer", {}).status_code == 400
    r = client.post_form(f"/appraisal/{aid}/answer", {f"r-budget-{line.id}": "accepted"})
    assert r.status_code == 302
    client.logout()

    client.login(s.manager.email)
    assert client.post_form(f"/appraisal/{aid}/approve", {"conclusion": "Đạt"}).status_code == 302
    page = client.get(f"/appraisal/{aid}").get_data(as_text=True)
    assert 'id="approved-total"' in page
    assert "1.440.000.000" in page
    r = client.post_form(f"/contracts/proposals/{pid}/draft", {})
    assert r.status_code == 302
    contract = session.exec(select(Contract).where(Contract.proposal_id == pid)).one()
    cid = contract.id
    assert client.get(f"/contracts/{cid}").status_code == 200
    bad_terms = client.post_form(
        f"/contracts/{cid}/terms",
        {
            "start_date": contract.start_date.isoformat(),
            "end_date": contract.end_date.isoformat(),
            "funding_mode": "itemised",
            "products": "Bài báo | Số bài | 2 | bài",
            **{f"t-{i}": "2.000.000.000" for i in _lines(session, pid)},
        },
    )
    assert bad_terms.status_code == 400
    assert "2.000.000.000" in bad_terms.get_data(as_text=True)
    assert client.post_form(f"/contracts/{cid}/generate", {}).status_code == 302
    assert client.post_form(f"/contracts/{cid}/send", {}).status_code == 302
    for who in (s.manager, s.officer, s.pi):
        if who is not s.manager:
            client.logout()
            client.login(who.email)
        page = client.get(f"/contracts/{cid}").get_data(as_text=True)
        r = client.post_form(f"/contracts/{cid}/sign", {"sha256": _hash(page)})
        assert r.status_code == 302
    page = client.get(f"/contracts/{cid}").get_data(as_text=True)
    assert 'id="project-link"' in page
    session.refresh(contract)
    advance = session.exec(
        select(Movement).where(Movement.award_id == contract.award_id, Movement.kind == "advance")
    ).one()
    assert advance.amount_vnd == 432 * M
    project = client.get(f"/projects/{contract.award_id}").get_data(as_text=True)
    assert "432.000.000" in project
    document = session.exec(
        select(ContractDocument).where(ContractDocument.contract_id == cid)
    ).one()
    pdf = client.get(f"/contracts/documents/{document.id}.pdf")
    assert pdf.data.startswith(b"%PDF")
    docx = client.get(f"/contracts/documents/{document.id}.docx")
    assert docx.data.startswith(b"PK")


def _lines(session, proposal_id):
    from funds.appraisal.queries import approved_work

    return [i for i, _v in approved_work(session, proposal_id)]


def test_a_host_officer_of_another_host_gets_404(client, make, session):
    from tests.contracts_data import appraised

    s = selected(make, session)
    appraised(session, s)
    from funds.contracts.services import draft_contract

    contract = draft_contract(session, actor=s.manager, proposal_id=s.proposal.id)
    session.commit()
    stranger = make.host_officer(make.host())
    aid = session.exec(select(Appraisal.id).where(Appraisal.proposal_id == s.proposal.id)).one()
    client.login(stranger.email)
    assert client.get(f"/contracts/{contract.id}").status_code == 404
    assert client.get(f"/appraisal/{aid}").status_code == 404
    assert (
        client.post_form(f"/contracts/{contract.id}/sign", {"sha256": "0" * 64}).status_code == 404
    )
    client.logout()
    client.login(s.officer.email)
    assert client.get(f"/contracts/{contract.id}").status_code == 200
    assert client.get(f"/appraisal/{aid}").status_code == 200


def test_the_funds_contract_text_is_kept_as_typed_when_refused_and_saved_as_a_version(
    client, make, session
):
    s = selected(make, session)
    client.login(s.manager.email)
    page = client.get("/contracts/templates").get_data(as_text=True)
    assert "HỢP ĐỒNG THỰC HIỆN NHIỆM VỤ" in page
    assert "${contract_number}" in page
    bad = client.post_form("/contracts/templates", {"body": "Số ${so_hop_dong}", "note": ""})
    assert bad.status_code == 200
    assert "Số ${so_hop_dong}" in bad.get_data(as_text=True)
    ok = client.post_form("/contracts/templates", {"body": "# HỢP ĐỒNG ${contract_number}"})
    assert ok.status_code == 302
    proposal_page = client.get(f"/proposals/{s.proposal.id}").get_data(as_text=True)
    assert 'id="open-appraisal"' in proposal_page
