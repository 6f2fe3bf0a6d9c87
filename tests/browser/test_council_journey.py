"""A selection council end to end in a real browser (issue 14): the scientific secretary runs
the meeting at desktop width — attendance and the live quorum, a conflict, each item started
and its vote opened; the members, each on a phone (375 × 740), fill and submit their rating
sheets and cast a secret ballot; the secretary closes each vote with the requested changes
and the dissent and closes the meeting; the minutes are made and signed by the chair and the
secretary; the fund's manager records the selection decision, departing from the council's
recommendation on one item with a reason.

The council, its members and the proposals are arranged through the services (fast); every
step a person takes at the meeting goes through the pages."""

import re
from dataclasses import dataclass
from datetime import timedelta
from io import BytesIO

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader
from sqlmodel import select

from funds.clock import utcnow
from funds.compliance.services import acknowledge_slate
from funds.proposals.models import Proposal
from reviews.consolidation.services import unacknowledged_years
from reviews.councils import services as councils
from reviews.councils.meetings import services as meetings
from reviews.councils.minutes.models import Minutes
from reviews.rubric.services import create_default_rubric, criteria_of, rubric_for_call
from tests.browser.conftest import Steps
from tests.councils_data import expert
from tests.factories import PASSWORD

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 740}
MEMBERS = (  # role, name; the secretary runs the meeting, the last member is away
    ("chair", "GS.TS. Nguyễn Văn An"),
    ("vice_chair", "PGS.TS. Trần Thị Bình"),
    ("secretary", "TS. Lê Văn Cường"),
    ("reviewer_member", "PGS.TS. Phạm Thị Dung"),
    ("reviewer_member", "TS. Hoàng Văn Em"),
    ("member", "TS. Đỗ Thị Giang"),
    ("member", "TS. Vũ Văn Hải"),
)
CHAIR, VICE, SECRETARY, CONFLICTED, ABSENT = 0, 1, 2, 5, 6


@dataclass
class Member:
    user: object
    seat: object
    phone: object = None  # the member's page in their own phone-sized browser context


@pytest.fixture
def council(make, session):
    """A selection council of seven eligible experts (confidentiality accepted), activated,
    with a meeting on two submitted proposals of a call with the default rubric."""
    manager = make.manager()
    call = make.call(title="Nghiên cứu cơ bản 2026")
    create_default_rubric(session, actor=manager, call_id=call.id)
    proposals = [
        make.proposal(call=call, submit=True, title=title)
        for title in ("Pin natri-ion cho lưu trữ điện mặt trời", "Cảm biến độ ẩm đất giá rẻ")
    ]
    c = councils.create_council(
        session,
        actor=manager,
        fund_id=call.fund_id,
        kind="selection",
        name="Hội đồng số 12 — Nghiên cứu cơ bản 2026",
        call_id=call.id,
        formed_by="Quyết định số 12/QĐ-QPTKHCN",
    )
    members = []
    for n, (role, name) in enumerate(MEMBERS):
        user = expert(make, session, name=name, institution=f"Viện Khoa học số {n + 1}")
        seat = councils.appoint_member(
            session, actor=manager, council_id=c.id, user_id=user.id, role=role
        )
        councils.accept_council_confidentiality(session, actor=user, council_id=c.id)
        members.append(Member(user, seat))
    councils.activate_council(session, actor=manager, council_id=c.id)
    meeting = meetings.schedule_meeting(
        session,
        actor=manager,
        council_id=c.id,
        starts_at=utcnow() + timedelta(minutes=5),
        mode="mixed",
        place="Phòng họp số 3, 39 Trần Hưng Đạo, Hà Nội",
        link="https://meet.example.org/hd12",
    )
    items = [
        meetings.add_item(session, actor=manager, meeting_id=meeting.id, proposal_id=p.id)
        for p in proposals
    ]
    criteria = [c.id for c in criteria_of(session, rubric_for_call(session, call.id))]
    session.commit()
    return manager, meeting, items, members, criteria, proposals


def _sign_in_on(page, live_server, email):
    """A member signs in on their own page (members of the pool have no second factor)."""
    page.goto(f"{live_server}/auth/login")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(lambda url: "/auth/login" not in url)


def _no_horizontal_scroll(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url}: {width}px wide at {PHONE['width']}px"


def _flash(page) -> str:
    return page.inner_text(".flash.success")


def _fill_sheet(page, criteria, scores, opinion) -> None:
    for cid, score in zip(criteria, scores, strict=True):
        page.fill(f"#score_{cid}", str(score))
    page.fill("#opinion", opinion)


def _sheet_and_ballot(page, live_server, item, criteria, scores, choice, *, check=False):
    """The member opens the item on their phone, submits the sheet, casts a secret ballot."""
    page.goto(f"{live_server}/council-work/items/{item.id}")
    assert page.locator("#result").count() == 0  # no count before the vote closes
    _fill_sheet(page, criteria, scores, "Ý kiến của thành viên hội đồng về đề xuất.")
    if check:
        _no_horizontal_scroll(page)
        page.steps("phone-sheet")
    page.click("#sheet-form button[value=submit]")
    assert _flash(page) == "Đã nộp phiếu đánh giá."
    expect(page.locator("#sheet-submitted")).to_have_count(1)
    expect(page.locator("#secret-notice")).to_have_count(1)
    page.check(f"#ballot-form input[value={choice}]")
    if check:
        _no_horizontal_scroll(page)
        page.steps("phone-ballot")
    page.click("#ballot-form button[type=submit]")
    assert _flash(page) == "Phiếu của bạn đã được ghi nhận."
    assert page.inner_text("#voted") == "Bạn đã bỏ phiếu cho nội dung này."
    assert page.locator("#ballot-form").count() == 0  # once, and nothing shows what it was
    if check:
        _no_horizontal_scroll(page)
        page.steps("phone-voted")


def _close_vote(page, live_server, item, changes, dissent, voters) -> str:
    """The secretary closes the vote; returns the published result."""
    page.goto(f"{live_server}/council-work/items/{item.id}")
    assert page.inner_text("#votes-cast") == f"{voters} thành viên đã bỏ phiếu."
    page.fill("#close-form textarea[name=requested_changes]", changes)
    page.fill("#close-form textarea[name=dissent]", dissent)
    page.click("#close-form button[type=submit]")
    assert _flash(page) == "Đã kết thúc bỏ phiếu và công bố kết quả kiểm phiếu."
    return page.inner_text("#result")


def _counts(page) -> dict[str, int]:
    rows = page.locator("#result table.counts tbody tr")
    return {
        rows.nth(i).locator("td").nth(0).inner_text(): int(
            rows.nth(i).locator("td").nth(1).inner_text()
        )
        for i in range(rows.count())
    }


def test_a_selection_council_meets_votes_in_secret_signs_its_minutes_and_the_fund_decides(
    browser, page, live_server, sign_in, session, council
):
    manager, meeting, items, members, criteria, proposals = council
    first, second = items
    steps = page.steps
    secretary = members[SECRETARY]

    # --- the secretary opens the meeting at desktop width and takes attendance -----------
    sign_in(secretary.user.email)
    page.goto(f"{live_server}/council-work/")
    page.click(f"a.meeting-link[href$='/councils/meetings/{meeting.id}']")
    page.click("#open-meeting")
    assert _flash(page) == "Phiên họp đã khai mạc."
    for n in (CHAIR, SECRETARY, 3, 4):
        page.check(f"#present-{members[n].seat.id}")
    page.click("#save-attendance")
    assert page.inner_text("#meeting-quorum").startswith(
        "Không đủ số thành viên tối thiểu: 4 có mặt trên 7, cần 5"
    )
    assert page.locator(f"#start-{first.id}").count() == 0  # no quorum, nothing concludes
    steps("no-quorum")
    for n in (VICE, CONFLICTED):
        page.check(f"#present-{members[n].seat.id}")
    page.select_option(f"select[name=how_{members[VICE].seat.id}]", "online")
    page.click("#save-attendance")
    assert _flash(page) == "Đã lưu điểm danh."
    assert page.inner_text("#meeting-quorum") == (
        "Đủ số thành viên tối thiểu: 6 có mặt trên 7, cần 5"
    )

    # a member declares orally a conflict on the second item; its quorum leaves them out
    row = page.locator(f"#item-{second.id}")
    row.locator("details summary").click()
    row.locator("select[name=seat_id]").select_option(str(members[CONFLICTED].seat.id))
    row.locator("input[name=reason]").fill("Đồng tác giả với chủ nhiệm đề tài năm 2025.")
    row.locator("details button").click()
    assert _flash(page) == "Đã ghi nhận xung đột lợi ích: thành viên không tham gia nội dung này."
    assert page.inner_text(f"#quorum-{second.id}") == (
        "Đủ số thành viên tối thiểu: 5 có mặt trên 6, cần 4"
    )
    assert "Đồng tác giả với chủ nhiệm đề tài năm 2025." in page.inner_text(f"#item-{second.id}")
    page.click(f"#start-{first.id}")
    page.click(f"#voting-{first.id}")
    assert _flash(page) == "Đã mở biểu quyết."
    steps("first-item-voting")

    # --- the members, each on their own phone: sheet, then a secret ballot --------------
    phones = []
    for n in (CHAIR, VICE, 3, 4, CONFLICTED):
        context = browser.new_context(
            locale="vi-VN", viewport=PHONE, is_mobile=True, has_touch=True
        )
        phone = context.new_page()
        phone.set_default_timeout(10_000)
        phone.steps = Steps(phone, f"council-phone-{n}")
        _sign_in_on(phone, live_server, members[n].user.email)
        members[n].phone = phone
        phones.append(context)
    try:
        for n in (CHAIR, VICE, 3, 4, CONFLICTED):
            _sheet_and_ballot(
                members[n].phone,
                live_server,
                first,
                criteria,
                (5, 4, 4, 4),
                "select_with_changes",
                check=n == CHAIR,
            )
        # the secretary is a member too, and votes against
        _sheet_and_ballot(page, live_server, first, criteria, (3, 3, 2, 3), "do_not_select")
        result = _close_vote(
            page,
            live_server,
            first,
            "Bổ sung kế hoạch thử nghiệm pin ở quy mô 10 kWh.",
            "TS. Lê Văn Cường: kinh phí thiết bị cao hơn mức cần thiết.",
            6,
        )
        assert (
            page.inner_text("#result .conclusion") == "Đề xuất tuyển chọn với điều kiện chỉnh sửa"
        )
        assert _counts(page) == {
            "Đề xuất tuyển chọn": 0,
            "Đề xuất tuyển chọn với điều kiện chỉnh sửa": 5,
            "Không đề xuất tuyển chọn": 1,
        }
        assert "6 thành viên đã bỏ phiếu. Bỏ phiếu kín." in result
        assert "Bổ sung kế hoạch thử nghiệm pin ở quy mô 10 kWh." in result
        assert "kinh phí thiết bị cao hơn mức cần thiết" in result
        steps("first-item-concluded")

        # the second item: the conflicted member has no sheet and no ballot on it
        page.goto(f"{live_server}/councils/meetings/{meeting.id}")
        page.click(f"#start-{second.id}")
        page.click(f"#voting-{second.id}")
        left = members[CONFLICTED].phone
        left.goto(f"{live_server}/council-work/items/{second.id}")
        assert left.locator("#sheet-form").count() == 0
        assert left.locator("#ballot-form").count() == 0
        for n, choice in ((CHAIR, "do_not_select"), (VICE, "do_not_select"), (3, "select")):
            _sheet_and_ballot(members[n].phone, live_server, second, criteria, (2, 2, 2, 3), choice)
        _sheet_and_ballot(
            members[4].phone, live_server, second, criteria, (2, 3, 2, 2), "do_not_select"
        )
        _sheet_and_ballot(page, live_server, second, criteria, (2, 2, 1, 3), "do_not_select")
        result = _close_vote(
            page, live_server, second, "", "PGS.TS. Phạm Thị Dung đề nghị tài trợ thử nghiệm.", 5
        )
        assert page.inner_text("#result .conclusion") == "Không đề xuất tuyển chọn"
        assert _counts(page) == {
            "Đề xuất tuyển chọn": 1,
            "Đề xuất tuyển chọn với điều kiện chỉnh sửa": 0,
            "Không đề xuất tuyển chọn": 4,
        }

        # --- the secretary closes the meeting and makes the minutes; both sign -----------
        page.goto(f"{live_server}/councils/meetings/{meeting.id}")
        page.click("#close-meeting")
        assert _flash(page) == "Phiên họp đã kết thúc."
        page.click("#minutes-link")
        page.click("#generate-minutes button[type=submit]")
        assert _flash(page) == "Đã lập phiên bản mới của biên bản."
        session.expire_all()
        minutes = session.exec(select(Minutes).where(Minutes.meeting_id == meeting.id)).one()
        assert minutes.language == "vi"
        shown = page.inner_text(f"#minutes-{minutes.id} code.hash")
        assert re.fullmatch(r"[0-9a-f]{64}", shown)
        assert shown == minutes.sha256
        page.click(f"#minutes-{minutes.id} form[action$='/sign'] button")
        assert _flash(page) == "Bạn đã ký biên bản."
        chair = members[CHAIR].phone
        chair.goto(f"{live_server}/council-minutes/meetings/{meeting.id}")
        assert chair.inner_text(f"#minutes-{minutes.id} code.hash") == minutes.sha256
        _no_horizontal_scroll(chair)  # the chair signs on a phone too
        chair.click(f"#minutes-{minutes.id} form[action$='/sign'] button")
        assert _flash(chair) == "Bạn đã ký biên bản."
        chair.steps("phone-minutes-signed")
        signed = chair.inner_text(f"#minutes-{minutes.id}")
        assert "Chủ tịch hội đồng:" in signed
        assert "Thư ký khoa học:" in signed
        assert "đã ký; quyết định căn cứ vào phiên bản này" in signed
        assert chair.locator(f"#minutes-{minutes.id} form[action$='/sign']").count() == 0
        text = _pdf_text(
            chair.request.get(f"{live_server}/council-minutes/minutes/{minutes.id}.pdf")
        )
        for expected in ("Biên bản họp hội đồng", "Bỏ phiếu kín", "Giá trị khoa học", "Vắng mặt"):
            assert expected in text, expected
        assert "kinh phí thiết bị cao hơn mức cần thiết" in text
        steps("minutes-signed")
    except BaseException:  # keep the phones' screenshots too
        for m in members:
            if m.phone is not None:
                m.phone.steps("failure")
                print(f"screenshots saved in {m.phone.steps.save()}")
        raise
    finally:
        for context in phones:
            context.close()

    # --- the fund's manager decides, departing from the council on the second item --------
    # (the budget check comes first: no budget figures here, so the manager acknowledged
    # the slate of both proposals on the budget check page, Resolution 57-NQ/TW §III.3)
    slate = [p.id for p in proposals]
    acknowledge_slate(
        session,
        actor=manager,
        proposal_ids=slate,
        years_below=unacknowledged_years(session, slate),
        summary={},
        note="Chưa có số liệu ngân sách năm tài chính của đợt gọi.",
    )
    session.commit()
    page.click("form[action='/auth/logout'] button")
    sign_in(manager.email)
    page.goto(f"{live_server}/council-minutes/meetings/{meeting.id}/decision")
    assert f"SHA-256 {minutes.sha256}" in page.inner_text("main")
    assert page.is_checked(f"input[name=outcome_{first.id}][value=funded]")
    assert page.is_checked(f"input[name=outcome_{second.id}][value=not_funded]")
    page.fill("#number", "45/QĐ-QPTKHCN")
    page.check(f"input[name=outcome_{second.id}][value=funded]")
    page.click("#selection-decision button[type=submit]")  # a departure without its reason
    expect(page.locator(f"#item-{second.id} .error").nth(0)).to_be_attached()
    assert page.locator(".flash.success").count() == 0
    steps("departure-needs-a-reason")
    reason = "Phù hợp ưu tiên chiến lược về nông nghiệp số; Quỹ tài trợ giai đoạn thử nghiệm."
    page.fill(f"textarea[name=reason_{second.id}]", reason)
    page.click("#selection-decision button[type=submit]")
    assert _flash(page) == "Đã ghi nhận quyết định phê duyệt tuyển chọn."
    assert "45/QĐ-QPTKHCN" in page.inner_text("main")
    document = page.locator("a[href*='/council-minutes/decisions/']").get_attribute("href")
    text = _pdf_text(page.request.get(f"{live_server}{document}"))
    assert "45/QĐ-QPTKHCN" in text
    assert "Phù hợp ưu tiên chiến lược" in text
    steps("decided")
    session.expire_all()
    assert [session.get(Proposal, p.id).status for p in proposals] == ["funded", "funded"]


def _pdf_text(response) -> str:
    assert response.ok, response.status
    pages = PdfReader(BytesIO(response.body())).pages
    return " ".join("".join(p.extract_text() for p in pages).split())
