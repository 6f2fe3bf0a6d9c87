"""The applicant's response over HTTP: the manager opens the period (refused while a review
is missing), the PI reads the anonymised reviews and answers with the characters counted (a
refusal keeps the text), and the council reads the answer next to the reviews."""

from io import BytesIO

from pypdf import PdfReader

from reviews.councils.meetings.models import MeetingItem
from tests import council_minutes_data as councils
from tests.rebuttal_data import reviewed_call

SCORES = {"Pin natri-ion": (8, 7), "Cảm biến độ ẩm đất": (6, 9)}


def _open(client, make, call):
    client.login(make.manager().email)
    r = client.post_form(f"/review-management/calls/{call.id}/responses", {})
    client.logout()
    return r


def test_the_period_is_refused_while_a_review_is_missing(client, make, session):
    call, _p = reviewed_call(make, session, SCORES, leave_one_waiting=True, rebuttal_days=5)
    client.login(make.manager().email)
    client.use_language("en")
    page = client.post_form(
        f"/review-management/calls/{call.id}/responses", {}, follow_redirects=True
    ).get_data(as_text=True)
    assert "The external reviews are not complete: «Cảm biến độ ẩm đất»" in page
    assert 'id="open-responses"' in page


def test_the_pi_reads_anonymised_reviews_and_a_refusal_keeps_the_text(client, make, session):
    call, proposals = reviewed_call(make, session, SCORES, rebuttal_days=5, rebuttal_max_chars=200)
    assert _open(client, make, call).status_code == 302
    p = proposals["Pin natri-ion"]
    pi = make.session.get(type(make.manager()), p.pi_id)
    client.login(pi.email)
    client.use_language("en")
    detail = client.get(f"/proposals/{p.id}").get_data(as_text=True)
    assert 'id="respond-link"' in detail
    url = f"/proposals/{p.id}/response"
    page = client.get(url).get_data(as_text=True)
    assert "Reviewer A" in page
    assert "Reviewer B" in page
    assert "Nhận xét 8" in page
    assert "Chuyên gia" not in page  # reviewers are not named
    assert 'data-max="200"' in page
    assert "response_counter.js" in page
    typed = "Chúng tôi đã sửa ngân sách. " * 10  # 280 characters
    refused = client.post_form(url, {"text": typed})
    body = refused.get_data(as_text=True)
    assert refused.status_code == 422
    assert "Your response has 279 characters; the call allows 200." in body
    assert "Chúng tôi đã sửa ngân sách." in body  # kept
    sent = client.post_form(url, {"text": "Chúng tôi đã sửa ngân sách."})
    assert sent.status_code == 302
    shown = client.get(url).get_data(as_text=True)
    assert 'id="response-text"' in shown
    assert 'id="send-response"' not in shown
    client.logout()
    client.login(make.user("applicant").email)
    assert client.get(url).status_code == 404


def test_the_council_reads_the_answer_next_to_the_reviews(client, make, session):
    call, proposals = reviewed_call(make, session, SCORES, rebuttal_days=5)
    _open(client, make, call)
    p = proposals["Pin natri-ion"]
    client.login(make.session.get(type(make.manager()), p.pi_id).email)
    client.post_form(f"/proposals/{p.id}/response", {"text": "Đã bổ sung thiết bị đo."})
    client.logout()
    sitting = councils.sitting(session, make, fund_id=call.fund_id, call_id=call.id)
    item = MeetingItem(meeting_id=sitting.meeting.id, proposal_id=p.id, position=1)
    session.add(item)
    session.commit()
    client.login(sitting.users[3].email)
    client.use_language("en")
    page = client.get(f"/council-work/items/{item.id}").get_data(as_text=True)
    assert 'id="reviews-and-response"' in page
    assert "Đã bổ sung thiết bị đo." in page
    assert "Reviewer A" in page
    pdf = client.get(f"/council-work/items/{item.id}/proposal.pdf")
    text = "".join("".join(pg.extract_text() for pg in PdfReader(BytesIO(pdf.data)).pages).split())
    assert "Đãbổsungthiếtbịđo." in text
    material = client.get(f"/councils/items/{item.id}").get_data(as_text=True)
    assert "Đã bổ sung thiết bị đo." in material


def test_a_manager_who_loses_the_race_to_open_the_period_is_told_it_is_open(
    app, client, make, session, monkeypatch
):
    """Two managers open the period at the same moment: both requests find no window, the
    other's request commits first (here, between this request's check and its insert, on its
    own session), and this one is told the period is open, not shown a database error."""
    from concurrent.futures import ThreadPoolExecutor

    from sqlmodel import select

    from funds.audit.models import AuditEntry
    from funds.calls.managers import add_fund_manager
    from reviews.rebuttal import queries
    from reviews.rebuttal.models import Rebuttal
    from tests.conftest import PortalClient

    call, proposals = reviewed_call(make, session, SCORES, rebuttal_days=5)
    colleague = make.user("manager")
    add_fund_manager(session, actor=make.admin(), fund_id=call.fund_id, user_id=colleague.id)
    session.commit()
    other = PortalClient(app.test_client())
    other.login(colleague.email)
    url = f"/review-management/calls/{call.id}/responses"
    token = other.csrf_token()
    council_met = queries.council_met

    def the_colleague_commits_first(s, call_id):
        """The colleague's whole request, in its own thread as a server would run it."""
        monkeypatch.setattr(queries, "council_met", council_met)
        with ThreadPoolExecutor(1) as pool:
            done = pool.submit(other.post, url, data={"csrf_token": token}).result()
        assert done.status_code == 302
        return council_met(s, call_id)

    client.login(make.manager().email)
    client.use_language("en")
    monkeypatch.setattr(queries, "council_met", the_colleague_commits_first)
    r = client.post_form(url, {})
    assert r.status_code == 302
    page = client.get(r.headers["Location"]).get_data(as_text=True)
    assert "The response period of this call is open already." in page
    assert "the applicants have been notified" not in page
    session.expire_all()
    windows = session.exec(select(Rebuttal)).all()
    assert sorted(w.proposal_id for w in windows) == sorted(p.id for p in proposals.values())
    assert {w.opened_by for w in windows} == {colleague.id}
    opened = session.exec(
        select(AuditEntry).where(AuditEntry.object_type == "rebuttal", AuditEntry.action == "open")
    ).all()
    assert len(opened) == len(proposals)  # the colleague's openings only
    client.use_language("vi")
    again = client.post_form(url, {}, follow_redirects=True).get_data(as_text=True)
    assert "Thời hạn phản hồi của đợt gọi này đã được mở." in again
