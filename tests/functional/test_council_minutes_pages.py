"""Minutes and the decisions that cite them, over HTTP: versions, sign-off by the chair and
the secretary, the selection decision refusing a departure without its reason (in
Vietnamese, keeping what was typed), the host's self-evaluation and a mid-term stop."""

import html
import re
from datetime import date

import pytest
from sqlmodel import select

from funds.compliance.services import acknowledge_slate
from funds.projects import services as svc
from funds.projects.models import Award, Closeout
from funds.projects.money.models import Movement
from funds.proposals.models import Proposal
from funds.proposals.services import record_decision
from reviews.councils.minutes.models import Minutes, MinutesSignature
from tests import council_minutes_data as data


@pytest.fixture
def selection(make, session):
    call = make.call()
    proposals = [
        make.proposal(pi=make.user("applicant"), call=call, submit=True, title=title)
        for title in ("Pin natri-ion", "Vật liệu nano")
    ]
    sitting = data.sitting(session, make, fund_id=call.fund_id, call_id=call.id)
    items = [
        data.item(
            session,
            sitting,
            proposal_id=p.id,
            conclusion=c,
            rank=n,
            tallies={c: 6},
            dissent="Một ý kiến bảo lưu" if n == 1 else "",
        )
        for n, (p, c) in enumerate(zip(proposals, ("select", "do_not_select"), strict=True), 1)
    ]
    session.commit()
    return sitting, proposals, items


def _page(client, url: str) -> str:
    return html.unescape(client.get(url).get_data(as_text=True))


def test_the_secretary_makes_the_minutes_and_the_chair_and_secretary_sign_them(
    client, make, session, selection
):
    sitting, _p, _items = selection
    url = f"/council-minutes/meetings/{sitting.meeting.id}"
    client.login(sitting.secretary.email)
    assert "Chưa có biên bản." in _page(client, url)
    assert client.post_form(f"{url}/generate", {"language": "vi"}).status_code == 302
    minutes = session.exec(select(Minutes)).one()
    page = _page(client, url)
    assert minutes.sha256 in page
    assert client.get(f"/council-minutes/minutes/{minutes.id}.pdf").data[:4] == b"%PDF"
    sign = f"/council-minutes/minutes/{minutes.id}/sign"
    assert client.post_form(sign, {"sha256": minutes.sha256}).status_code == 302
    client.logout()
    client.login(sitting.users[3].email)  # a reviewer member reads, does not sign
    page = _page(client, url)
    assert minutes.sha256 in page
    assert "Ký phiên bản này" not in page
    client.post_form(sign, {"sha256": minutes.sha256})
    client.logout()
    client.login(sitting.chair.email)
    assert "Ký phiên bản này" in _page(client, url)
    client.post_form(sign, {"sha256": minutes.sha256})
    roles = {s.role for s in session.exec(select(MinutesSignature)).all()}
    assert roles == {"chair", "secretary"}
    assert "đã ký; quyết định căn cứ vào phiên bản này" in _page(client, url)
    client.logout()
    client.login(make.user("reviewer").email)
    assert client.get(url).status_code == 404
    assert client.get(f"/council-minutes/minutes/{minutes.id}.pdf").status_code == 404


def test_a_departure_without_its_reason_is_refused_in_vietnamese_keeping_what_was_typed(
    client, make, session, selection
):
    """Issue 14 §7: any departure from the recommendation needs its reason."""
    sitting, proposals, items = selection
    data.signed_minutes(session, sitting)
    acknowledge_slate(
        session,
        actor=make.manager(),
        proposal_ids=[p.id for p in proposals],
        years_below=[],
        summary={},
        note="Quỹ chấp nhận",
    )
    session.commit()
    client.login(make.manager().email)
    url = f"/council-minutes/meetings/{sitting.meeting.id}/decision"
    page = _page(client, url)
    assert page.index("Pin natri-ion") < page.index("Vật liệu nano")  # the council's rank
    form = {
        "number": "45/QĐ-QKHCN",
        f"outcome_{items[0].id}": "funded",
        f"outcome_{items[1].id}": "funded",  # not recommended
        f"reason_{items[0].id}": "",
        f"reason_{items[1].id}": "",
    }
    r = client.post_form(url, form)
    assert r.status_code == 200
    text = html.unescape(r.get_data(as_text=True))
    assert "Quyết định này khác với kiến nghị của hội đồng" in text
    assert 'value="45/QĐ-QKHCN"' in text
    assert re.search(rf'id="item-{items[1].id}" class="departure"', text)
    session.expire_all()
    assert session.get(Proposal, proposals[1].id).status == "submitted"
    form[f"reason_{items[1].id}"] = "Công nghệ chiến lược theo Quyết định 1131"
    assert client.post_form(url, form).status_code == 302
    session.expire_all()
    assert [session.get(Proposal, p.id).status for p in proposals] == ["funded", "funded"]
    page = _page(client, f"/council-minutes/meetings/{sitting.meeting.id}")
    assert "45/QĐ-QKHCN" in page
    link = re.search(r'href="(/council-minutes/decisions/\d+\.pdf)"', page).group(1)
    assert client.get(link).data[:4] == b"%PDF"


def test_a_proposal_before_a_selection_council_is_not_decided_alone(
    client, make, session, selection
):
    """The fund decides a call with a selection council through the council's decision."""
    _sitting, proposals, _items = selection
    client.login(make.manager().email)
    r = client.post_form(
        f"/proposals/{proposals[1].id}/decision", {"outcome": "funded"}, follow_redirects=True
    )
    assert "Đợt kêu gọi này có hội đồng tuyển chọn" in html.unescape(r.get_data(as_text=True))
    session.expire_all()
    assert session.get(Proposal, proposals[1].id).status == "submitted"


@pytest.fixture
def project(make, session):
    pi = make.user("applicant", email="pi@example.org")
    proposal = make.proposal(pi=pi, submit=True, title="Pin natri-ion")
    record_decision(session, actor=make.manager(), proposal_id=proposal.id, outcome="funded")
    award = svc.create_award(
        session,
        actor=make.manager(),
        proposal_id=proposal.id,
        contract_number="HD-93",
        contract_date=date(2025, 11, 1),
        start_date=date(2025, 11, 15),
        end_date=date(2027, 11, 14),
    )
    session.add(
        Movement(
            award_id=award.id,
            kind="tranche",
            amount_vnd=500_000_000,
            fiscal_year=2026,
            status="paid",
        )
    )
    session.commit()
    return pi, proposal, award


def test_the_pi_records_the_hosts_self_evaluation(client, make, session, project):
    pi, _proposal, award = project
    client.login(pi.email)
    url = f"/council-minutes/projects/{award.id}/self-evaluation"
    r = client.post_form(url, {"rating": "pass", "evidence": "", "host": "Viện Vật liệu"})
    assert r.status_code == 200
    text = html.unescape(r.get_data(as_text=True))
    assert "Hãy nêu minh chứng của việc tự đánh giá." in text
    assert "Viện Vật liệu" in text
    r = client.post_form(
        url, {"rating": "pass", "evidence": "Mẫu pin 10 Ah đạt", "host": "Viện Vật liệu"}
    )
    assert r.status_code == 302
    page = _page(client, f"/projects/{award.id}")
    assert "Tự đánh giá của tổ chức chủ trì: Đạt" in page
    assert "Mẫu pin 10 Ah đạt" in page
    client.logout()
    client.login(make.user("applicant").email)
    assert client.get(url).status_code == 404


def test_a_midterm_stop_closes_the_project_from_its_page(client, make, session, project):
    """Law 93/2025/QH15 Art. 9: stopped after 500 M paid and 200 M used, a compliant failure
    returns the unused 300 M."""
    _pi, proposal, award = project
    sitting = data.sitting(
        session, make, fund_id=proposal.call.fund_id, kind="midterm", award_id=award.id
    )
    item = data.item(session, sitting, award_id=award.id, conclusion="stop")
    data.signed_minutes(session, sitting)
    session.commit()
    client.login(make.manager().email)
    page = _page(client, f"/projects/{award.id}")
    assert f"/council-minutes/items/{item.id}/stop" in page
    r = client.post_form(
        f"/council-minutes/items/{item.id}/stop",
        {
            "used_vnd": "200.000.000",
            "procedures_followed": "yes",
            "no_fraud": "yes",
            "no_intentional_breach": "yes",
            "funds_within_purpose": "yes",
            "evidence": "Biên bản kiểm tra giữa kỳ",
        },
    )
    assert r.status_code == 302
    session.expire_all()
    assert session.get(Award, award.id).status == "closed"
    closeout = session.exec(select(Closeout).where(Closeout.award_id == award.id)).one()
    assert (closeout.outcome, closeout.refund_vnd) == ("compliant_failure", 300_000_000)
    assert "300.000.000" in _page(client, f"/projects/{award.id}")
