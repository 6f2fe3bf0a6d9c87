"""Notifications: inbox rows and e-mails over a real SMTP server (aiosmtpd), sent only after
the commit, preferences respected, failures recorded for the administrators."""

import email
import email.header
import smtplib
import socket
from datetime import date, timedelta

import pytest
from aiosmtpd.controller import Controller
from sqlmodel import select

from funds.accounts.models import User
from funds.clock import to_local, utcnow
from funds.letters import services as letters
from funds.notifications import queries
from funds.notifications import services as svc
from funds.notifications.models import EmailState, Notification
from funds.notifications.rules import Schedule, parse_schedule, reminder_for
from funds.proposals import team
from funds.proposals.queries import decision_for
from funds.proposals.services import record_decision
from portal import edge
from reviews.assignment.models import ReviewAssignment
from reviews.reviewing.services import assign_reviewer


class Inbox:
    def __init__(self, refuse=()):
        self.messages, self.refuse = [], set(refuse)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        if address in self.refuse:
            return "550 5.1.1 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(email.message_from_bytes(envelope.content))
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp(app):
    inbox = Inbox(refuse={"gone@example.org"})
    controller = Controller(inbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    app.config["SMTP_URL"] = f"smtp://127.0.0.1:{controller.port}"
    yield inbox
    controller.stop()


def subject(message) -> str:
    return str(email.header.make_header(email.header.decode_header(message["Subject"])))


def body(message) -> str:
    part = message.get_payload(decode=True) if not message.is_multipart() else None
    return part.decode() if part else message.get_payload()[0].get_payload(decode=True).decode()


def in_edge(app, work):
    """Run work(session) as a request does: committed by the edge, e-mails after it."""
    with app.test_request_context("/"), edge.transaction() as s:
        return work(s)


def test_a_review_assignment_is_mailed_after_the_commit_with_its_due_date(app, make, session, smtp):
    reviewer = make.user("reviewer", email="rev@example.org", name="Trần Phản Biện")
    proposal = make.proposal(submit=True, title="Vi mạch cảm biến")
    manager_id = make.manager().id

    def assign(s):
        return assign_reviewer(
            s, actor=s.get(User, manager_id), proposal_id=proposal.id, reviewer_id=reviewer.id
        ).id

    assignment_id = in_edge(app, assign)
    (message,) = smtp.messages
    assert message["To"] == "rev@example.org"
    assert "Vi mạch cảm biến" in subject(message)
    due = to_local(utcnow()).date() + timedelta(days=21)
    assert due.strftime("%d/%m/%Y") in body(message)
    assert f"/reviews/{assignment_id}" in body(message)
    assert session.get(ReviewAssignment, assignment_id).due_on == due
    n = session.exec(select(Notification)).one()
    assert (n.user_id, n.kind, n.email_state) == (reviewer.id, "review_assigned", "sent")
    assert queries.unread_count(session, reviewer.id) == 1


def test_nothing_is_mailed_when_the_transaction_rolls_back(app, make, smtp):
    reviewer = make.user("reviewer")
    proposal = make.proposal(submit=True)
    manager_id = make.manager().id

    def assign_then_fail(s):
        assign_reviewer(
            s, actor=s.get(User, manager_id), proposal_id=proposal.id, reviewer_id=reviewer.id
        )
        raise RuntimeError("something after it failed")

    with pytest.raises(RuntimeError):
        in_edge(app, assign_then_fail)
    assert smtp.messages == []


def test_review_reminders_follow_the_configured_schedule(app, make, session, smtp):
    reviewer = make.user("reviewer", email="late@example.org", locale="en")
    assignment = make.assignment(reviewer=reviewer)
    due = assignment.due_on
    app.config.update(REVIEW_REMINDER_DAYS="5", REVIEW_OVERDUE_EVERY_DAYS=4)
    runner = app.test_cli_runner()

    def remind(day: date) -> str:
        return runner.invoke(args=["send-reminders", "--today", day.isoformat()]).output

    assert "review reminders" not in remind(due - timedelta(days=7))  # not in this schedule
    assert "1 review reminders sent" in remind(due - timedelta(days=5))
    assert "1 review reminders sent" in remind(due + timedelta(days=1))  # overdue
    assert "review reminders" not in remind(due + timedelta(days=2))
    assert "1 review reminders sent" in remind(due + timedelta(days=5))
    subjects = [subject(m) for m in smtp.messages]
    assert subjects[0].startswith("rdfund: Reminder: review of")  # in the reviewer's English
    assert all(s.startswith("rdfund: Overdue: review of") for s in subjects[1:])
    assert len(subjects) == 3


def test_a_decision_is_mailed_to_the_pi_in_their_language(app, make, session, smtp):
    pi = make.user("applicant", email="pi@example.org")
    proposal = make.proposal(pi=pi, submit=True, title="Pin natri")
    manager_id = make.manager().id
    in_edge(
        app,
        lambda s: record_decision(
            s, actor=s.get(User, manager_id), proposal_id=proposal.id, outcome="funded"
        ),
    )
    assert smtp.messages == []  # told when the letter is issued, not when it is recorded
    number = in_edge(app, lambda s: _send_letter(s, manager_id, proposal))
    (message,) = smtp.messages
    assert message["To"] == "pi@example.org"
    assert subject(message) == "rdfund: Quyết định: «Pin natri» được tài trợ"
    assert f"/proposals/{proposal.id}" in body(message)
    assert f"quyết định số {number}" in body(message)


def _send_letter(s, manager_id, proposal) -> str:
    decision = decision_for(s, proposal.id)
    (letter,) = letters.send_decisions(
        s, actor=s.get(User, manager_id), call_id=proposal.call_id, decision_ids=[decision.id]
    )
    return letter.number


def test_a_co_investigator_without_an_account_gets_the_confirmation_link(app, make, smtp):
    pi = make.user("applicant", name="Lê Chủ Nhiệm")
    proposal = make.proposal(pi=pi, title="Mạng cảm biến")
    member_id = in_edge(
        app,
        lambda s: (
            team.add_member(
                s,
                actor=s.get(User, pi.id),
                proposal_id=proposal.id,
                name="Phạm Cộng Sự",
                email="Co@Example.org",
            ).id
        ),
    )
    (message,) = smtp.messages
    assert message["To"] == "co@example.org"
    assert "Lê Chủ Nhiệm" in body(message)
    with app.app_context():
        from funds.profiles.models import CoInvestigator
        from portal import db

        token = db.session().get(CoInvestigator, member_id).confirm_token
    assert f"/team/confirm/{token}" in body(message)


def test_an_optional_email_turned_off_is_not_sent_but_a_required_one_is(app, make, session, smtp):
    reviewer = make.user("reviewer", email="quiet@example.org")
    svc.set_email_preferences(session, actor=reviewer, choices={"review_reminder": False})
    session.commit()
    assignment = make.assignment(reviewer=reviewer)  # outside the edge: stays pending
    runner = app.test_cli_runner()
    runner.invoke(args=["send-reminders", "--today", str(assignment.due_on - timedelta(days=2))])
    runner.invoke(args=["send-reminders", "--today", str(assignment.due_on + timedelta(days=1))])
    kinds = {n.kind: n.email_state for n in session.exec(select(Notification)).all()}
    assert kinds["review_reminder"] == EmailState.SKIPPED
    assert kinds["review_overdue"] == EmailState.SENT
    assert [subject(m) for m in smtp.messages] == [
        "rdfund: Quá hạn: phản biện «Nghiên cứu chip bán dẫn»"
    ]


def test_a_refused_address_is_recorded_and_shown_to_administrators(app, make, client, smtp):
    pi = make.user("applicant", email="gone@example.org")
    proposal = make.proposal(pi=pi, submit=True)
    manager_id = make.manager().id
    in_edge(
        app,
        lambda s: record_decision(
            s, actor=s.get(User, manager_id), proposal_id=proposal.id, outcome="not_funded"
        ),
    )
    in_edge(app, lambda s: _send_letter(s, manager_id, proposal))
    assert smtp.messages == []
    admin = make.admin()
    client.login(admin.email)
    page = client.get("/notifications/failures").get_data(as_text=True)
    assert "gone@example.org" in page
    assert "550 5.1.1 mailbox unavailable" in page
    client.logout()
    client.login(make.user("applicant").email)
    assert client.get("/notifications/failures").status_code == 403


def test_a_send_failure_is_raised_again_for_the_queue_to_retry(app, make, session, smtp):
    pi = make.user("applicant", email="gone@example.org")
    n = svc.notify(
        session,
        kind="payment_held",
        user_id=pi.id,
        object_type="award",
        object_id=1,
        params={"contract": "HD-1", "reason": "x"},
    )
    session.commit()
    from portal.notifications import delivery

    with app.app_context(), app.test_request_context("/"), pytest.raises(smtplib.SMTPException):
        delivery.deliver(n.id)
    session.expire_all()
    failed = session.get(Notification, n.id)
    assert (failed.email_state, failed.email_attempts) == ("failed", 1)


def test_the_inbox_is_each_persons_own_and_marks_read(app, make, session, client):
    pi = make.user("applicant", email="own@example.org")
    other = make.user("applicant", email="other@example.org")
    proposal = make.proposal(pi=pi, submit=True, title="Tàu ngầm nhỏ")
    record_decision(session, actor=make.manager(), proposal_id=proposal.id, outcome="funded")
    _send_letter(session, make.manager().id, proposal)
    session.commit()
    n = session.exec(select(Notification)).one()
    client.login(other.email)
    assert client.post_form(f"/notifications/{n.id}/read", {}).status_code == 404
    client.logout()
    client.login(pi.email)
    client.use_language("en")
    page = client.get("/notifications/").get_data(as_text=True)
    assert "Inbox (1)" in page
    assert "Tàu ngầm nhỏ" in page
    opened = client.post_form(f"/notifications/{n.id}/open", {})
    assert opened.headers["Location"].endswith(f"/proposals/{proposal.id}")
    assert "Inbox (1)" not in client.get("/notifications/").get_data(as_text=True)


def test_the_preferences_page_saves_optional_choices_only(make, session, client):
    user = make.user("reviewer", email="prefs@example.org")
    client.login(user.email)
    client.use_language("en")
    page = client.get("/notifications/preferences").get_data(as_text=True)
    assert "required by the procedure, always sent" in page
    client.post_form("/notifications/preferences", {"report_due": "y"})
    chosen = queries.email_choices(session, user.id)
    assert chosen["review_reminder"] is False
    assert chosen["report_due"] is True
    assert "review_assigned" not in chosen


@pytest.mark.parametrize(
    "today, expected",
    [
        (date(2027, 3, 3), "reminder"),
        (date(2027, 3, 8), "reminder"),
        (date(2027, 3, 9), None),
        (date(2027, 3, 10), None),
        (date(2027, 3, 11), "overdue"),
        (date(2027, 3, 12), None),
        (date(2027, 3, 14), "overdue"),
    ],
)
def test_the_reminder_schedule(today, expected):
    assert reminder_for(date(2027, 3, 10), today, parse_schedule("7, 2", 3)) == expected


def test_a_bad_schedule_is_refused():
    with pytest.raises(ValueError, match="overdue interval"):
        parse_schedule("7,2", 0)
    assert parse_schedule("2,7,7", 1) == Schedule((7, 2), 1)


DSN = """From: MAILER-DAEMON@mx.example.org
To: bounces@rdfund.example.org
Subject: Undelivered Mail Returned to Sender
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="B1"

--B1
Content-Type: text/plain

This is the mail system at host mx.example.org. Your message could not be delivered.

--B1
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.example.org
Arrival-Date: Tue, 1 Dec 2026 20:00:00 +0700

Final-Recipient: rfc822; {to}
Original-Recipient: rfc822;{to}
Action: {action}
Status: 5.1.1
Diagnostic-Code: smtp; 550 5.1.1 <{to}>: Recipient address rejected:
    User unknown in local recipient table

--B1
Content-Type: text/rfc822-headers

From: rdfund@localhost
To: {to}
Subject: something
Message-ID: {message_id}

--B1--
"""


def _maildir(root):
    for sub in ("new", "cur", "tmp"):
        (root / sub).mkdir(parents=True)
    return root


def test_a_late_bounce_marks_the_email_bounced_for_the_administrators(
    app, make, session, smtp, client, tmp_path
):
    pi = make.user("applicant", email="left@example.org")
    proposal = make.proposal(pi=pi, submit=True, title="Pin natri")
    manager_id = make.manager().id
    in_edge(
        app,
        lambda s: record_decision(
            s, actor=s.get(User, manager_id), proposal_id=proposal.id, outcome="funded"
        ),
    )
    in_edge(app, lambda s: _send_letter(s, manager_id, proposal))
    (sent,) = smtp.messages  # accepted by the server now, returned by the mailbox later
    real_id = sent["Message-ID"]
    n = session.exec(select(Notification)).one()
    assert real_id.startswith(f"<rdfund-n{n.id}-")
    box = _maildir(tmp_path / "bounces")
    forged = real_id.replace(real_id.split("-")[2].split("@")[0], "0" * 16)
    delayed = DSN.format(to="left@example.org", action="delayed", message_id=real_id)
    for name, text in (
        ("1.forged", DSN.format(to="left@example.org", action="failed", message_id=forged)),
        ("2.delayed", delayed),
    ):
        (box / "new" / name).write_text(text)
    out = app.test_cli_runner().invoke(args=["record-bounces", str(box)]).output
    assert "2 messages read, 0 bounced e-mails recorded." in out
    session.expire_all()
    assert session.get(Notification, n.id).email_state == EmailState.SENT
    assert sorted(p.name for p in (box / "cur").iterdir()) == ["1.forged:2,S", "2.delayed:2,S"]

    returned = DSN.format(to="left@example.org", action="failed", message_id=real_id)
    (box / "new" / "3.failed").write_text(returned)
    out = app.test_cli_runner().invoke(args=["record-bounces", str(box)]).output
    assert "1 messages read, 1 bounced e-mails recorded." in out
    session.expire_all()
    bounced = session.get(Notification, n.id)
    assert bounced.email_state == EmailState.BOUNCED
    assert "5.1.1" in bounced.email_error
    assert "User unknown" in bounced.email_error
    client.login(make.admin().email)
    client.use_language("en")
    page = client.get("/notifications/failures").get_data(as_text=True)
    assert "left@example.org" in page
    assert "Bounced" in page
    assert "User unknown in local recipient table" in page
    out = app.test_cli_runner().invoke(args=["send-notifications"]).output
    assert "0 notification e-mails queued." in out  # a bounced address is not retried
