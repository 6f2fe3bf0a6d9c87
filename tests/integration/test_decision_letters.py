"""Decision letters in the domain: numbered per fund and year, the issued text frozen and
hashed, the applicant told only then, readable by the applicant only once issued, audited."""

import hashlib
import threading

import pytest
from sqlalchemy.orm import Session as OrmSession
from sqlmodel import select

from funds import sequences
from funds.accounts.models import User
from funds.audit.models import AuditEntry
from funds.clock import to_local, utcnow
from funds.errors import NotFound, RuleViolation
from funds.letters import queries
from funds.letters import services as letters
from funds.letters.models import DecisionLetter, LetterSequence
from funds.letters.permissions import can_read_letter
from funds.notifications.models import Notification
from funds.proposals.queries import decision_for
from funds.proposals.services import record_decision


def decided(make, session, call, outcome="funded", **kw):
    p = make.proposal(call=call, submit=True, **kw)
    record_decision(session, actor=make.manager(), proposal_id=p.id, outcome=outcome)
    session.commit()
    return p, decision_for(session, p.id)


def send(session, make, call, *decisions):
    found = letters.send_decisions(
        session, actor=make.manager(), call_id=call.id, decision_ids=[d.id for d in decisions]
    )
    session.commit()
    return found


def test_letters_are_numbered_per_fund_and_year(session, make):
    nafosted, other = make.fund(code="NAFOSTED"), make.fund(code="NATIF")
    c1, c2 = make.call(fund=nafosted), make.call(fund=other)
    _p1, d1 = decided(make, session, c1)
    _p2, d2 = decided(make, session, c1, outcome="not_funded", title="Đề tài thứ hai")
    _p3, d3 = decided(make, session, c2)
    year = to_local(utcnow()).year
    first = send(session, make, c1, d1, d2)
    third = send(session, make, c2, d3)
    assert [x.number for x in first + third] == [
        f"QĐ-NAFOSTED-{year}-0001",
        f"QĐ-NAFOSTED-{year}-0002",
        f"QĐ-NATIF-{year}-0001",
    ]


def test_the_issued_text_is_the_templates_filled_in_and_stays_as_sent(session, make):
    call = make.call()
    p, d = decided(make, session, call, requested_vnd=1_250_000_000, title="Pin thể rắn")
    letters.save_template(
        session,
        actor=make.manager(),
        fund_id=call.fund_id,
        body="Tài trợ ${project_title}: ${amount_vnd} đồng, số ${letter_number}.",
        body_not_funded="Không tài trợ ${project_title}.",
        signatory_name="Nguyễn Văn Ký",
        signatory_title="Giám đốc",
        place="Hà Nội",
    )
    (letter,) = send(session, make, call, d)
    assert letter.body == f"Tài trợ Pin thể rắn: 1.250.000.000 đồng, số {letter.number}."
    assert letter.sha256 == hashlib.sha256(letter.body.encode()).hexdigest()
    assert (letter.amount_vnd, letter.template_version) == (1_250_000_000, 1)
    assert (letter.signatory_name, letter.place) == ("Nguyễn Văn Ký", "Hà Nội")
    letters.save_template(
        session, actor=make.manager(), fund_id=call.fund_id, body="Khác", body_not_funded="Khác"
    )
    session.commit()
    view = queries.letter_view(session, d, p)
    assert (view.body, view.draft) == (letter.body, False)


def test_a_fund_without_a_template_uses_the_builtin_text(session, make):
    call = make.call(title="Đợt gọi năng lượng")
    _p, d = decided(make, session, call, outcome="not_funded", title="Pin natri")
    (letter,) = send(session, make, call, d)
    assert letter.template_version is None
    assert "không được tài trợ" in letter.body
    assert "Pin natri" in letter.body
    assert "Đợt gọi năng lượng" in letter.body


def test_the_applicant_is_told_when_the_letter_is_issued_not_before(session, make):
    call = make.call()
    p, d = decided(make, session, call)
    assert session.exec(select(Notification)).all() == []
    (letter,) = send(session, make, call, d)
    (n,) = session.exec(select(Notification)).all()
    assert (n.kind, n.user_id, n.object_id) == ("decision_funded", p.pi_id, p.id)
    assert letter.number in n.params
    entry = session.exec(
        select(AuditEntry).where(AuditEntry.object_type == "decision_letter")
    ).one()
    assert (entry.action, entry.actor_id) == ("issue", make.manager().id)
    assert letter.sha256 in entry.detail


def test_a_letter_is_issued_once_and_never_beyond_the_calls_budget(session, make):
    call = make.call(budget_vnd=1_500_000_000, ceiling_vnd=1_000_000_000)
    _p, d = decided(make, session, call)
    send(session, make, call, d)
    with pytest.raises(RuleViolation):
        send(session, make, call, d)
    session.rollback()
    other = make.call(budget_vnd=1_500_000_000, ceiling_vnd=1_000_000_000)
    _a, da = decided(make, session, other)
    _b, _db = decided(make, session, other, title="Đề tài thứ hai")  # 2 bn funded > 1.5 bn
    with pytest.raises(RuleViolation) as refused:
        send(session, make, other, da)
    assert refused.value.params["budget"] == "1.500.000.000"
    session.rollback()
    assert len(session.exec(select(DecisionLetter)).all()) == 1  # the first call's letter


def test_only_the_funds_managers_send_and_the_applicant_reads_once_issued(session, make):
    call = make.call()
    p, d = decided(make, session, call)
    stranger_fund = make.fund()
    outsider = make.manager_of(stranger_fund, user=make.user("manager"))
    with pytest.raises(NotFound):
        letters.send_decisions(session, actor=outsider, call_id=call.id, decision_ids=[d.id])
    session.rollback()
    pi = session.get(User, p.pi_id)
    assert not can_read_letter(pi, p, issued=False)
    assert can_read_letter(make.manager(), p, issued=False)  # the draft, to check
    assert not can_read_letter(outsider, p, issued=True)
    assert can_read_letter(pi, p, issued=True)


@pytest.mark.postgres_only
def test_two_transactions_never_take_the_same_letter_number(session, make, app):
    if session.get_bind().dialect.name != "postgresql":
        pytest.skip("row locks: PostgreSQL")
    fund = make.fund(code="RACEQD")
    engine = app.extensions["rdfund.engine"]
    table = LetterSequence.__table__
    first = OrmSession(engine)
    n1 = sequences.next_number(first, table, fund_id=fund.id, year=2030)
    got = []

    def second():
        with OrmSession(engine) as s2:
            got.append(sequences.next_number(s2, table, fund_id=fund.id, year=2030))
            s2.commit()

    t = threading.Thread(target=second)
    t.start()
    t.join(timeout=1)
    assert t.is_alive()  # waits for the first transaction's row lock
    first.commit()
    first.close()
    t.join(timeout=10)
    assert (n1, got) == (1, [2])


def test_a_persons_letters_are_exported_and_kept_on_erasure(session, make):
    from funds.privacy.parts import _letters_export, _letters_kept

    call = make.call()
    p, d = decided(make, session, call, title="Pin natri")
    (letter,) = send(session, make, call, d)
    pi = session.get(User, p.pi_id)
    exported = _letters_export(session, pi)["decision_letters"]
    assert [(x["number"], x["sha256"]) for x in exported] == [(letter.number, letter.sha256)]
    (kept,) = _letters_kept(session, pi)
    assert (kept.retention, kept.label) == ("submitted", letter.number)
    assert _letters_kept(session, make.user("applicant")) == []
