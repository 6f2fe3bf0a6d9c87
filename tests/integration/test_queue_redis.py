"""The queue on a real Redis (a private redis-server on a free loopback port): an outage
during a submission delays the receipt e-mail but neither loses it nor breaks the page, and
a task handed over twice mails once."""

import time

from sqlmodel import select

from funds.outbox.models import OutboxMessage, OutboxState
from funds.proposals.models import Submission
from portal import tasks
from portal.outbox.relay import run_outbox
from tests.mailbox import messages


def _wait(predicate, seconds=60.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return False


def _receipts(app, submission) -> list:
    return [m for m in messages(app, "pi@example.org") if submission.receipt_no in m["Subject"]]


def _submit(client, make):
    pi = make.user("applicant", email="pi@example.org")
    p = make.proposal(pi=pi, title="Cảm biến sinh học đa kênh")
    client.login("pi@example.org")
    return client.post_form(
        f"/proposals/{p.id}/submit", {"confirm": "yes", "version_id": str(p.version_id)}
    )


def _make_due(session, row: OutboxMessage) -> None:
    """As if the wait after the last failure had passed."""
    row.next_attempt_at = row.created_at
    session.add(row)
    session.commit()


def _outbox(session, task="after_submission") -> OutboxMessage:
    session.expire_all()
    return session.exec(select(OutboxMessage).where(OutboxMessage.task == task)).one()


def test_a_submission_while_redis_is_down_shows_its_receipt_and_is_mailed_once_redis_is_back(
    app, client, make, session, runner, redis_queue
):
    redis_queue.stop()
    started = time.monotonic()
    r = _submit(client, make)
    assert r.status_code == 302
    assert time.monotonic() - started < 10
    page = client.get(r.headers["Location"])
    sub = session.exec(select(Submission)).one()
    assert page.status_code == 200
    assert sub.receipt_no in page.get_data(as_text=True)
    row = _outbox(session)
    assert (row.state, row.attempts) == (OutboxState.PENDING, 1)
    assert "Connection" in row.last_error  # the queue's refusal, kept on the row
    assert _receipts(app, sub) == []
    _make_due(session, row)
    still_down = runner.invoke(args=["relay-outbox"])  # cron's relay, Redis still down
    assert still_down.exit_code == 1
    assert "1 refused" in still_down.output
    assert _outbox(session).attempts == 2

    redis_queue.start()  # the same port: the portal's queue is back
    tasks.start_consumer(app)
    assert "0 tasks handed" in runner.invoke(args=["relay-outbox"]).output  # not due yet
    _make_due(session, _outbox(session))  # a minute later, the relay's turn
    result = runner.invoke(args=["relay-outbox"])
    assert result.exit_code == 0
    assert "1 tasks handed" in result.output
    assert _wait(lambda: _receipts(app, sub)), "the receipt never arrived"
    assert _wait(lambda: _outbox(session).state == OutboxState.DONE)

    run_outbox(row.id)  # handed over again (a relay that lost track): a no-op
    result = runner.invoke(args=["relay-outbox"])
    assert "0 tasks handed" in result.output
    time.sleep(1.0)
    assert len(_receipts(app, sub)) == 1
    session.expire_all()
    assert session.get(Submission, sub.id).receipt_mailed_at is not None


def test_a_task_handed_to_redis_twice_mails_once(app, client, make, session, redis_queue):
    r = _submit(client, make)
    assert r.status_code == 302
    sub = session.exec(select(Submission)).one()
    row = _outbox(session)
    assert row.state == OutboxState.SENT  # in Redis, waiting for a worker
    run_outbox(row.id)
    assert tasks.huey.pending_count() >= 2
    tasks.start_consumer(app, workers=2)
    assert _wait(lambda: _outbox(session).state == OutboxState.DONE)
    assert _wait(lambda: tasks.huey.pending_count() == 0)
    time.sleep(1.0)
    assert len(_receipts(app, sub)) == 1
