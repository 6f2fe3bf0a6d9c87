"""After submission, a real huey consumer renders the PDF and mails it over real SMTP."""

import email
import socket
import time
from io import BytesIO

import pytest
from aiosmtpd.controller import Controller
from pypdf import PdfReader
from sqlmodel import select

from funds.audit.models import AuditEntry
from funds.proposals.models import Submission
from portal import tasks


class Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(email.message_from_bytes(envelope.content))
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp_server():
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    yield inbox, controller.port
    controller.stop()


@pytest.fixture
def real_queue(app, tmp_path):
    tasks.use_queue_file(tmp_path / "queue.sqlite")
    tasks.huey.immediate = False
    yield
    tasks.stop_consumer()
    tasks.huey.immediate = True


def _wait(predicate, seconds=60.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return False


def test_the_response_does_not_wait_and_a_consumer_sends_the_pdf_by_smtp(
    app, client, make, session, smtp_server, real_queue
):
    inbox, port = smtp_server
    app.config["SMTP_URL"] = f"smtp://127.0.0.1:{port}"
    pi = make.user("applicant", email="pi@example.org")
    p = make.proposal(pi=pi, title="Cảm biến sinh học đa kênh")
    client.login("pi@example.org")
    r = client.post_form(
        f"/proposals/{p.id}/submit", {"confirm": "yes", "version_id": str(p.version_id)}
    )
    assert r.status_code == 302
    sub = session.exec(select(Submission)).one()
    assert sub.pdf_name is None
    assert inbox.messages == []
    tasks.start_consumer(app)
    assert _wait(lambda: inbox.messages), "the consumer sent no e-mail"
    message = inbox.messages[0]
    assert message["To"] == "pi@example.org"
    assert sub.receipt_no in str(
        email.header.make_header(email.header.decode_header(message["Subject"]))
    )
    pdf = next(part for part in message.walk() if part.get_content_type() == "application/pdf")
    text = "".join(
        page.extract_text() for page in PdfReader(BytesIO(pdf.get_payload(decode=True))).pages
    )
    assert "Cảm biến sinh học đa kênh" in text
    session.expire_all()
    assert _wait(lambda: session.expire_all() or session.get(Submission, sub.id).receipt_mailed_at)


def test_without_smtp_the_receipt_goes_to_the_outbox(app, client, make, tmp_path):
    pi = make.user("applicant", email="pi@example.org")
    p = make.proposal(pi=pi)
    client.login("pi@example.org")
    client.post_form(
        f"/proposals/{p.id}/submit", {"confirm": "yes", "version_id": str(p.version_id)}
    )
    outbox = list((tmp_path / "data" / "outbox").glob("*.eml"))
    assert len(outbox) == 1
    message = email.message_from_bytes(outbox[0].read_bytes())
    assert message["To"] == "pi@example.org"


def test_storing_the_pdf_and_mailing_the_receipt_are_audited(client, make, session):
    pi = make.user("applicant", email="pi@example.org")
    p = make.proposal(pi=pi)
    client.login("pi@example.org")
    client.post_form(
        f"/proposals/{p.id}/submit", {"confirm": "yes", "version_id": str(p.version_id)}
    )
    sub = session.exec(select(Submission)).one()
    logged = session.exec(
        select(AuditEntry.action, AuditEntry.detail).where(
            AuditEntry.object_type == "submission", AuditEntry.object_id == sub.id
        )
    ).all()
    assert sorted(logged) == sorted(
        [
            ("create", f"{sub.receipt_no} sha256={sub.sha256}"),
            ("store_pdf", sub.pdf_name),
            ("mail_receipt", sub.receipt_no),
        ]
    )
