"""Outputs import (all or nothing, every row error listed) and reminders."""

from datetime import date
from io import BytesIO

import pytest
from sqlmodel import select

from funds.audit.models import AuditEntry
from funds.projects import services as svc
from funds.projects.models import Output
from funds.proposals.services import record_decision


@pytest.fixture
def award(make, session):
    proposal = make.proposal(submit=True)
    record_decision(session, actor=make.manager(), proposal_id=proposal.id, outcome="funded")
    created = svc.create_award(
        session,
        actor=make.manager(),
        proposal_id=proposal.id,
        contract_number="HD-OUT",
        contract_date=date(2026, 1, 1),
        start_date=date(2026, 1, 15),
        end_date=date(2027, 12, 31),
    )
    session.commit()
    return created


GOOD = (
    "contract_number,kind,title,year,international,reference,value_vnd,evidence\n"
    "HD-OUT,publication,Bài báo Nature,2026,yes,10.1/abc,,doi\n"
    "HD-OUT,licence,Li-xăng cho công ty A,2027,,LIC-1,500000000,hợp đồng\n"
)
BAD = (
    "contract_number,kind,title,year,value_vnd\n"
    "HD-OUT,publication,Tốt,2026,\n"
    "HD-NONE,patent,,20x6,-5\n"
)


def _upload(client, text, name="outputs.csv"):
    return client.post_form(
        "/projects/outputs/import",
        {"file": (BytesIO(text.encode("utf-8")), name)},
        content_type="multipart/form-data",
    )


def test_good_file_imports_every_row(client, make, session, award):
    client.login(make.manager().email)
    assert _upload(client, GOOD).status_code == 302
    kinds = sorted(o.kind for o in session.exec(select(Output)).all())
    assert kinds == ["licence", "publication"]


def test_bad_rows_change_nothing_and_each_error_is_listed(client, make, session, award):
    client.login(make.manager().email)
    client.use_language("en")
    page = _upload(client, BAD).get_data(as_text=True)
    assert session.exec(select(Output)).all() == []
    for col in ("contract_number", "kind", "year", "value_vnd", "title"):
        assert f"Row 3, column {col}" in page


def test_reminders_are_sent_and_logged(app, make, session, award):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["send-reminders", "--today", "2026-07-10"])
    assert "1 reminders sent" in result.output
    entry = session.exec(select(AuditEntry).where(AuditEntry.action == "reminder")).one()
    assert entry.to_state == "progress_due"
    assert runner.invoke(args=["send-reminders", "--today", "2026-05-01"]).output.startswith("0")
