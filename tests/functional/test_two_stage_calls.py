"""A two-stage call end to end through the HTTP routes: the call with its two deadlines, the
pre-proposals with their own checklist, review and shortlisting, the stage's decision letters
and invitation, the full proposal filled in from the outline, its deadline, and the normal
review path after it."""

import re
from datetime import timedelta

from sqlalchemy import update
from sqlmodel import select

from funds.audit.models import AuditEntry
from funds.calls.models import Call
from funds.clock import utcnow
from funds.letters.models import DecisionLetter
from funds.notifications.models import Notification
from funds.proposals.models import Decision, Proposal

OUTLINE_CLOSES = "2099-06-30T17:00"
FULL_CLOSES = "2099-12-31T17:00"


def _id_from(location: str) -> int:
    return int(re.search(r"/(\d+)(?:/|$)", location).group(1))


def _text(response) -> str:
    return response.get_data(as_text=True)


def _new_call(client, session, manager) -> int:
    client.login(manager.email)
    client.post_form("/funds/new", {"code": "HAIVONG", "name": "Quỹ hai vòng"})
    fund_id = (
        session.exec(select(AuditEntry).where(AuditEntry.object_type == "fund")).all()[-1].object_id
    )
    form = {
        "title": "Đợt tuyển chọn hai vòng",
        "opens_at": "2020-01-01T08:00",
        "closes_at": OUTLINE_CLOSES,
        "ceiling_vnd": "2.000.000.000",
        "budget_vnd": "10.000.000.000",
        "two_stage": "y",
        "outline_max_chars": "500",
    }
    refused = client.post_form(f"/funds/{fund_id}/calls/new", form)  # no second deadline
    assert refused.status_code == 200
    assert "hạn nộp hồ sơ đầy đủ" in _text(refused)
    assert 'value="Đợt tuyển chọn hai vòng"' in _text(refused)  # what was typed stays
    r = client.post_form(f"/funds/{fund_id}/calls/new", form | {"full_closes_at": FULL_CLOSES})
    assert r.status_code == 302, _text(r)
    call_id = _id_from(r.location)
    page = _text(client.get(f"/calls/{call_id}"))
    assert 'id="call-stages"' in page
    client.logout()
    return call_id


def _outline(client, applicant, call_id: int, title: str, abstract: str = "Ý tưởng ngắn") -> int:
    client.login(applicant.email)
    r = client.post_form(
        f"/calls/{call_id}/proposals/new",
        {"title": title, "abstract": abstract, "area_code": "", "requested_vnd": "1.500.000.000"},
    )
    assert r.status_code == 302, _text(r)
    pid = _id_from(r.location)
    r = client.post_form(
        f"/proposals/{pid}/edit",
        {
            "title": title,
            "title_en": f"{title} (EN)",
            "abstract": abstract,
            "keywords": "pin; lưu trữ",
            "area_code": "",
            "requested_vnd": "1.500.000.000",
            "version_id": "1",
        },
    )
    assert r.status_code == 302, _text(r)
    return pid


def _status(session, pid: int) -> str:
    session.expire_all()
    return session.get(Proposal, pid).status


def _submit(client, pid: int):
    return client.post_form(f"/proposals/{pid}/submit", {"confirm": "yes"}, follow_redirects=True)


def _review(client, manager, reviewer, pid: int, score: str) -> None:
    client.login(manager.email)
    assert client.post_form(f"/proposals/{pid}/reviewers", {"reviewer_id": str(reviewer.id)})
    client.logout()
    client.login(reviewer.email)
    page = _text(client.get("/reviews"))
    aid = max(int(a) for a in re.findall(r"/reviews/(\d+)", page))
    client.post_form(f"/reviews/{aid}/confidentiality", {})
    client.post_form(f"/reviews/{aid}/declaration", {"conflict": "no"})
    r = client.post_form(f"/reviews/{aid}", {"score": score, "comment": "Ổn.", "action": "submit"})
    assert r.status_code == 302
    client.logout()


def test_a_two_stage_call_runs_from_outline_to_funded_full_proposal(client, make, session):
    manager = make.manager()
    alice = make.user("applicant", email="alice@example.org")
    bao = make.user("applicant", email="bao@example.org")
    reviewer = make.user("reviewer", email="rev@example.org")
    call_id = _new_call(client, session, manager)

    # stage 1: a pre-proposal passes with an outline and an envelope, no work plan or budget
    long_outline = _outline(client, alice, call_id, "Pin natri", abstract="x" * 501)
    page = _text(client.get(f"/proposals/{long_outline}"))
    assert 'id="stage"' in page
    assert "500" in page  # the outline's own limit, not the full abstract's
    r = _submit(client, long_outline)
    assert "Viết đề cương sơ bộ (phần tóm tắt) trong tối đa 500 ký tự." in _text(r)
    assert _status(session, long_outline) == "draft"
    client.logout()
    a_outline = _outline(client, alice, call_id, "Pin natri-ion", abstract="Pin natri giá rẻ.")
    _submit(client, a_outline)
    assert _status(session, a_outline) == "submitted"
    client.logout()
    b_outline = _outline(client, bao, call_id, "Pin kẽm", abstract="Pin kẽm an toàn.")
    _submit(client, b_outline)
    assert _status(session, b_outline) == "submitted"
    client.logout()

    # reviewed by the same machinery as any proposal, then shortlisted or not
    _review(client, manager, reviewer, a_outline, "9")
    _review(client, manager, reviewer, b_outline, "4")
    client.login(manager.email)
    detail = _text(client.get(f"/proposals/{a_outline}"))
    assert 'value="shortlisted"' in detail
    assert 'value="funded"' not in detail
    funded = client.post_form(f"/proposals/{a_outline}/decision", {"outcome": "funded"})
    assert funded.status_code == 302  # an outline is never "funded": the form refuses it
    assert session.exec(select(Decision)).all() == []
    for pid, outcome in ((a_outline, "shortlisted"), (b_outline, "not_shortlisted")):
        r = client.post_form(f"/proposals/{pid}/decision", {"outcome": outcome, "note": ""})
        assert r.status_code == 302
    session.expire_all()
    assert session.get(Proposal, a_outline).status == "shortlisted"
    assert session.get(Proposal, b_outline).status == "not_shortlisted"

    # the stage's decision letters: the shortlisting invites to the full stage
    client.logout()
    client.login(alice.email)
    early = client.post_form(f"/proposals/{a_outline}/full", {}, follow_redirects=True)
    assert "thư" in _text(early).lower()  # not before the shortlisting letter is issued
    assert session.exec(select(Proposal).where(Proposal.outline_id == a_outline)).first() is None
    client.logout()
    client.login(manager.email)
    ids = [d.id for d in session.exec(select(Decision)).all()]
    check = _text(client.post_form(f"/letters/calls/{call_id}", {"decision": ids}))
    assert "tài trợ 0, không tài trợ 0" in check  # a shortlisting is no funding decision
    assert "được chọn vào vòng 2 1" in check
    sent = client.post_form(f"/letters/calls/{call_id}", {"decision": ids, "confirm": "yes"})
    assert sent.status_code == 302
    letters = session.exec(select(DecisionLetter)).all()
    assert len(letters) == 2
    bodies = {d.proposal_id: letter.body for d, letter in _with_letters(session)}
    assert "được chọn vào vòng 2" in bodies[a_outline]
    assert "31/12/2099" in bodies[a_outline]  # the full proposals' deadline
    assert "không được chọn vào vòng 2" in bodies[b_outline]
    kinds = {
        (n.user_id, n.kind)
        for n in session.exec(select(Notification)).all()
        if n.kind.startswith("decision_")
    }
    assert kinds == {(alice.id, "decision_shortlisted"), (bao.id, "decision_not_shortlisted")}
    client.logout()

    # a non-shortlisted applicant cannot open a full proposal
    client.login(bao.email)
    page = _text(client.get(f"/proposals/{b_outline}"))
    assert 'id="start-full"' not in page
    r = client.post_form(f"/proposals/{b_outline}/full", {}, follow_redirects=True)
    assert "Chỉ hồ sơ sơ bộ được chọn" in _text(r)
    assert session.exec(select(Proposal).where(Proposal.outline_id == b_outline)).first() is None
    client.logout()

    # stage 2: the full proposal starts as a copy of the outline
    client.login(alice.email)
    assert 'id="start-full"' in _text(client.get(f"/proposals/{a_outline}"))
    r = client.post_form(f"/proposals/{a_outline}/full", {})
    assert r.status_code == 302
    full_id = _id_from(r.location)
    full = session.get(Proposal, full_id)
    assert (full.stage, full.outline_id, full.status) == ("full", a_outline, "draft")
    assert (full.title, full.abstract, full.requested_vnd) == (
        "Pin natri-ion",
        "Pin natri giá rẻ.",
        1_500_000_000,
    )
    again = client.post_form(f"/proposals/{a_outline}/full", {})
    assert _id_from(again.location) == full_id  # once only
    page = _text(client.get(f"/proposals/{full_id}"))
    assert 'id="stage-outline"' in page
    assert "Giai đoạn 2/2" in page  # the timeline says the stage

    # the full stage's own eligibility: the work plan and budget are now required
    r = _submit(client, full_id)
    assert "Thêm ít nhất một nội dung công việc" in _text(r)  # unasked of the outline
    assert _status(session, full_id) == "draft"
    r = client.post_form(
        f"/proposals/{full_id}/edit",
        {
            "title": "Pin natri-ion",
            "title_en": "Sodium-ion batteries",
            "abstract": "Pin natri giá rẻ, kế hoạch đầy đủ.",
            "keywords": "pin; lưu trữ",
            "area_code": "",
            "requested_vnd": "1.600.000.000",
            "version_id": str(session.get(Proposal, full_id).version_id),
            "trl_now": "3",
            "trl_target": "6",
            "duration_months": "24",
            "wp-0-owner": "PI",
            "wp-0-task": "Chế tạo",
            "wp-0-due": "6",
            "wp-0-deliverable": "Mẫu pin",
            "budget-personnel-2099": "1.600.000.000",
        },
    )
    assert r.status_code == 302, _text(r)
    _submit(client, full_id)
    assert _status(session, full_id) == "submitted"
    client.logout()

    # the normal review path: assigned, reviewed, funded
    _review(client, manager, reviewer, full_id, "8")
    client.login(manager.email)
    r = client.post_form(f"/proposals/{full_id}/decision", {"outcome": "funded", "note": "Tốt"})
    assert r.status_code == 302
    session.expire_all()
    assert session.get(Proposal, full_id).status == "funded"
    assert session.get(Proposal, a_outline).status == "shortlisted"


def _with_letters(session):
    return session.exec(
        select(Decision, DecisionLetter).join(
            DecisionLetter, DecisionLetter.decision_id == Decision.id
        )
    ).all()


def _shortlisted_and_invited(make, session, call):
    """A submitted outline, shortlisted, its letter issued (the invitation)."""
    from funds.letters.services import send_decisions
    from funds.proposals.services import record_decision

    outline = make.proposal(call=call, submit=True, bare=True, title_en="EN", keywords="k")
    decision = record_decision(
        session, actor=make.manager(), proposal_id=outline.id, outcome="shortlisted"
    )
    send_decisions(session, actor=make.manager(), call_id=call.id, decision_ids=[decision.id])
    session.commit()
    return outline


def _full_deadline_passed(session, call) -> None:
    now = utcnow()
    session.execute(
        update(Call)
        .where(Call.id == call.id)
        .values(
            opens_at=now - timedelta(days=30),
            closes_at=now - timedelta(days=20),
            full_closes_at=now - timedelta(minutes=1),
        )
    )
    session.commit()


def test_a_full_proposal_after_its_deadline_is_refused_with_a_clear_message(client, make, session):
    call = make.call(two_stage=True, **_full_in(days=60))
    outline = _shortlisted_and_invited(make, session, call)
    pi = session.get(type(make.manager()), outline.pi_id)
    client.login(pi.email)
    r = client.post_form(f"/proposals/{outline.id}/full", {})
    full_id = _id_from(r.location)
    _full_deadline_passed(session, call)
    r = _submit(client, full_id)
    assert "Hạn nộp hồ sơ đầy đủ là" in _text(r)
    assert "không còn được nhận" in _text(r)
    session.expire_all()
    assert session.get(Proposal, full_id).status == "draft"


def test_a_full_proposal_cannot_be_started_after_its_deadline(client, make, session):
    call = make.call(two_stage=True, **_full_in(days=60))
    outline = _shortlisted_and_invited(make, session, call)
    _full_deadline_passed(session, call)
    pi = session.get(type(make.manager()), outline.pi_id)
    client.login(pi.email)
    page = _text(client.get(f"/proposals/{outline.id}"))
    assert 'id="start-full"' not in page
    assert 'id="full-refusal"' in page
    r = client.post_form(f"/proposals/{outline.id}/full", {}, follow_redirects=True)
    assert "Hạn nộp hồ sơ đầy đủ là" in _text(r)
    assert session.exec(select(Proposal).where(Proposal.outline_id == outline.id)).first() is None


def _full_in(*, days: int) -> dict:
    return {"full_closes_at": utcnow() + timedelta(days=days)}
