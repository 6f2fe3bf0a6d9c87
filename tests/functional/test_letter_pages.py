"""Decision letter pages: the fund's template, a call's letters checked then sent, and the
letter read back from its PDF — letterhead, number, amount, signature block, no reviewer
names; a draft for the managers only."""

from io import BytesIO

from pypdf import PdfReader
from sqlmodel import select

from funds.letters.models import DecisionLetter, LetterTemplate
from funds.proposals.queries import decision_for
from funds.proposals.services import record_decision


def pdf_text(response) -> str:
    text = " ".join(p.extract_text() for p in PdfReader(BytesIO(response.data)).pages)
    return " ".join(text.split())


def decided(make, session, call, outcome="funded", **kw):
    p = make.proposal(call=call, submit=True, **kw)
    record_decision(session, actor=make.manager(), proposal_id=p.id, outcome=outcome)
    session.commit()
    return p, decision_for(session, p.id)


TEMPLATE = {
    "issuer": "Bộ Khoa học và Công nghệ",
    "place": "Hà Nội",
    "signatory_name": "Trần Văn Giám",
    "signatory_title": "Giám đốc",
    "body": "# QUYẾT ĐỊNH\nTài trợ «${project_title}» với ${amount_vnd} đồng.",
    "body_not_funded": "# THÔNG BÁO\nKhông tài trợ «${project_title}».",
    "note": "Mẫu 2026",
}


def test_a_manager_saves_the_letter_text_and_a_bad_placeholder_loses_nothing(client, make, session):
    call = make.call()
    client.login(make.manager().email)
    page = client.get(f"/letters/templates?fund_id={call.fund_id}").get_data(as_text=True)
    assert "${letter_number}" in page
    assert "QUYẾT ĐỊNH" in page
    bad = dict(TEMPLATE, body="Số ${so_van_ban} — giữ nguyên đoạn này")
    r = client.post_form(f"/letters/templates?fund_id={call.fund_id}", bad)
    assert r.status_code == 200
    shown = r.get_data(as_text=True)
    assert "so_van_ban" in shown
    assert "giữ nguyên đoạn này" in shown
    assert session.exec(select(LetterTemplate)).all() == []
    r = client.post_form(f"/letters/templates?fund_id={call.fund_id}", TEMPLATE)
    assert r.status_code == 302
    saved = session.exec(select(LetterTemplate)).one()
    assert (saved.version, saved.signatory_name) == (1, "Trần Văn Giám")
    other = make.manager_of(make.fund(), user=make.user("manager"))
    client.logout()
    client.login(other.email)
    assert client.get(f"/letters/templates?fund_id={call.fund_id}").status_code == 404


def test_the_manager_checks_the_selection_then_sends_and_the_pi_reads_the_letter(
    client, make, session
):
    call = make.call(title="Đợt gọi pin")
    p1, d1 = decided(make, session, call, requested_vnd=1_200_000_000, title="Pin natri")
    p2, d2 = decided(make, session, call, outcome="not_funded", title="Pin kẽm")
    manager = make.manager()
    client.login(manager.email)
    client.post_form(f"/letters/templates?fund_id={call.fund_id}", TEMPLATE)
    draft = client.get(f"/letters/proposals/{p1.id}.pdf")
    assert draft.status_code == 200
    assert "DỰ THẢO" in pdf_text(draft)

    page = client.post_form(f"/letters/calls/{call.id}", {"decision": [d1.id, d2.id]})
    shown = page.get_data(as_text=True)
    assert 'id="send-check"' in shown
    assert 'id="confirm-send"' in shown
    assert "tài trợ 1, không tài trợ 1" in shown
    assert session.exec(select(DecisionLetter)).all() == []  # the check issues nothing

    client.logout()
    client.login(session.get(type(manager), p1.pi_id).email)
    assert client.get(f"/letters/proposals/{p1.id}.pdf").status_code == 404  # not issued yet
    client.logout()
    client.login(manager.email)
    sent = client.post_form(
        f"/letters/calls/{call.id}", {"decision": [d1.id, d2.id], "confirm": "yes"}
    )
    assert sent.status_code == 302
    numbers = [x.number for x in session.exec(select(DecisionLetter)).all()]
    assert len(numbers) == 2
    listing = client.get(f"/letters/calls/{call.id}").get_data(as_text=True)
    assert all(n in listing for n in numbers)
    again = client.post_form(
        f"/letters/calls/{call.id}", {"decision": [d1.id], "confirm": "yes"}
    ).get_data(as_text=True)
    assert "đã được ban hành" in again  # a second send is refused with the reason

    client.logout()
    client.login(session.get(type(manager), p1.pi_id).email)
    detail = client.get(f"/proposals/{p1.id}").get_data(as_text=True)
    assert numbers[0] in detail or numbers[1] in detail
    text = pdf_text(client.get(f"/letters/proposals/{p1.id}.pdf"))
    for expected in (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "BỘ KHOA HỌC VÀ CÔNG NGHỆ",
        "Hà Nội",
        "Tài trợ «Pin natri» với 1.200.000.000 đồng.",
        "GIÁM ĐỐC",
        "Trần Văn Giám",
        "(đã ký)",
        "SHA-256",
    ):
        assert expected in text, expected
    assert any(n in text for n in numbers)
    assert "DỰ THẢO" not in text
    assert client.get(f"/letters/proposals/{p2.id}.pdf").status_code == 404  # not theirs


def test_a_selection_over_the_calls_budget_is_refused_with_the_figures(client, make, session):
    call = make.call(budget_vnd=1_500_000_000, ceiling_vnd=1_000_000_000)
    _p1, d1 = decided(make, session, call)
    decided(make, session, call, title="Đề tài thứ hai")
    client.login(make.manager().email)
    page = client.post_form(f"/letters/calls/{call.id}", {"decision": [d1.id]})
    shown = page.get_data(as_text=True)
    assert 'id="send-problems"' in shown
    assert "1.500.000.000" in shown
    assert 'id="confirm-send"' not in shown
    r = client.post_form(f"/letters/calls/{call.id}", {"decision": [d1.id], "confirm": "yes"})
    assert r.status_code == 200
    assert session.exec(select(DecisionLetter)).all() == []


def test_another_funds_manager_sees_neither_the_call_nor_the_draft(client, make, session):
    call = make.call()
    p, _d = decided(make, session, call)
    other = make.manager_of(make.fund(), user=make.user("manager"))
    client.login(other.email)
    assert client.get(f"/letters/calls/{call.id}").status_code == 404
    assert client.get(f"/letters/proposals/{p.id}.pdf").status_code == 404
