"""The transactional outbox: work written with the transaction, relayed after it, retried
with growing waits, given up after too many failures, and never done twice."""

from datetime import timedelta

import pytest
from sqlmodel import select

from funds.audit.models import AuditEntry
from funds.clock import utcnow
from funds.outbox import rules
from funds.outbox.models import OutboxMessage, OutboxState
from portal import edge
from portal.ops import logs
from portal.outbox.relay import execute, handler, later, relay_due

ran: list = []
failing = {"on": True}


@handler("test_remember")
def _remember(marker: str, when) -> None:
    ran.append((marker, when))


@handler("test_flaky")
def _flaky(marker: str) -> None:
    if failing["on"]:
        raise ConnectionError("smtp.example.org refused the connection")
    ran.append(marker)


@handler("test_request_id")
def _request_id_seen() -> None:
    ran.append(logs.request_id())  # what the log filter puts on each line


@pytest.fixture(autouse=True)
def _reset():
    ran.clear()
    failing["on"] = True


def _rows(session) -> list[OutboxMessage]:
    session.expire_all()
    return list(session.exec(select(OutboxMessage).order_by(OutboxMessage.id)).all())


def _promise_then_fail(when) -> None:
    with edge.transaction():
        later("test_remember", "rolled back", when)
        raise RuntimeError("the work failed")


def test_work_is_written_with_the_transaction_and_forgotten_when_it_rolls_back(app, session):
    when = utcnow()
    with app.test_request_context("/"):
        with pytest.raises(RuntimeError):
            _promise_then_fail(when)
        assert _rows(session) == []
        assert ran == []
        with edge.transaction():
            later("test_remember", "committed", when)
    assert ran == [("committed", when)]  # the stored instant comes back as an instant
    (row,) = _rows(session)
    assert (row.state, row.attempts, row.args) == (OutboxState.DONE, 0, "[]")  # args erased


def test_a_failing_task_waits_longer_each_time_then_is_a_dead_letter(app, session):
    with app.test_request_context("/"):
        with edge.transaction():
            later("test_flaky", "mail")
        (row,) = _rows(session)
        assert (row.state, row.attempts) == (OutboxState.PENDING, 1)
        assert "refused the connection" in row.last_error
        waits = [row.next_attempt_at - utcnow()]
        assert relay_due() == (0, 0)  # not due yet: nothing is tried
        for _ in range(rules.MAX_ATTEMPTS - 1):
            relay_due(now=row.next_attempt_at)
            row = _rows(session)[0]
            waits.append(row.next_attempt_at - utcnow())
    assert row.state == OutboxState.DEAD
    assert row.attempts == rules.MAX_ATTEMPTS
    for attempt, wait in enumerate(waits[:-1], start=1):  # 30 s, 1 min, 2 min … 32 min
        assert abs(wait - rules.retry_delay(attempt)) < timedelta(seconds=10)
    assert ran == []


def test_a_row_run_twice_does_its_work_once(app, session):
    failing["on"] = False
    with app.test_request_context("/"):
        with edge.transaction():
            message_id = later("test_flaky", "once")
        assert execute(message_id) == "nothing to do"
        relay_due(now=utcnow() + timedelta(days=1))
    assert ran == ["once"]


def test_a_replayed_dead_letter_is_audited_and_done(app, client, make, session):
    with app.test_request_context("/"), edge.transaction():
        message_id = later("test_flaky", "replayed")
    session.exec(select(OutboxMessage)).one().state = OutboxState.DEAD
    session.commit()
    failing["on"] = False
    admin = make.user("admin", email="admin@example.org")
    client.login("admin@example.org")
    assert 'href="/admin/outbox"' in client.get("/", follow_redirects=True).get_data(
        as_text=True
    )  # in the navigation
    page = client.get("/admin/outbox").get_data(as_text=True)
    assert "test_flaky" in page
    assert "refused the connection" in page
    r = client.post_form(f"/admin/outbox/{message_id}/replay", {})
    assert r.status_code == 302
    assert ran == ["replayed"]
    assert _rows(session)[0].state == OutboxState.DONE
    entry = session.exec(select(AuditEntry).where(AuditEntry.object_type == "outbox")).one()
    assert (entry.actor_id, entry.action, entry.object_id) == (admin.id, "replay", message_id)
    assert client.post_form(f"/admin/outbox/{message_id}/replay", {}).status_code == 302
    assert (
        len(session.exec(select(AuditEntry).where(AuditEntry.object_type == "outbox")).all()) == 1
    )


def test_only_administrators_see_the_dead_letters(client, make):
    make.user("manager", email="m@example.org")
    client.login("m@example.org")
    assert 'href="/admin/outbox"' not in client.get("/", follow_redirects=True).get_data(
        as_text=True
    )
    assert client.get("/admin/outbox").status_code == 403
    assert client.post_form("/admin/outbox/1/replay", {}).status_code == 403


def test_erasing_a_person_drops_the_waiting_work_that_names_their_address(session, make):
    from funds.outbox import services
    from funds.privacy.parts import _erase_outbox
    from funds.privacy.registry import ErasurePlan
    from portal.outbox.relay import encode

    person = make.user("applicant", email="leaving@example.org")
    mine = services.add(session, task="account_mail", args=encode(["reset", person.email]))
    other = services.add(session, task="account_mail", args=encode(["reset", "x@example.org"]))
    session.commit()
    _erase_outbox(session, ErasurePlan(user=person, tag="t", actor=person))
    session.commit()
    assert mine.id != other.id
    assert [r.id for r in _rows(session)] == [other.id]


@pytest.mark.parametrize("given", ["balancer-id-0001", None], ids=["from the balancer", "ours"])
def test_the_workers_lines_carry_the_id_of_the_request_that_promised_the_work(app, session, given):
    """The worker runs the work in a context of its own; its log lines name the request
    that promised it (the balancer's id when well formed, else the one the portal chose)."""
    headers = {"X-Request-ID": given} if given else {}
    with app.test_request_context("/", headers=headers):
        origin = logs.request_id()
        with edge.transaction():
            later("test_request_id")
    assert origin == given or (given is None and len(origin) == 32)
    assert ran == [origin]
    (row,) = _rows(session)
    assert row.request_id == origin
