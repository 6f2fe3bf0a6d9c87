"""Host organisation pages through the client: the register, duplicates, the officer's
dashboard and endorsement, the applicant's choice of host."""

from datetime import timedelta

from sqlmodel import select

from funds.hosts.models import Endorsement, Host
from funds.proposals.models import Submission


def _form(**values) -> dict:
    empty = dict.fromkeys(
        (
            "name_en",
            "tax_code",
            "address",
            "line_agency",
            "representative_name",
            "representative_title",
            "finance_name",
            "finance_email",
            "finance_phone",
        ),
        "",
    )
    return empty | values


def test_the_register_warns_of_a_folded_name_duplicate_and_keeps_what_was_typed(
    client, make, session
):
    make.host(name_vi="Trường Đại học Bách khoa Hà Nội", tax_code="0100105870")
    admin = make.admin()
    client.login(admin.email)
    client.use_language("vi")
    page = client.post_form(
        "/hosts/new", _form(name_vi="ĐH Bách khoa Hà Nội", address="1 Đại Cồ Việt")
    )
    assert page.status_code == 422
    text = page.get_data(as_text=True)
    assert 'id="duplicate-warning"' in text
    assert "Đã có trong danh mục" in text
    assert 'value="1 Đại Cồ Việt"' in text  # kept
    done = client.post_form("/hosts/new", _form(name_vi="ĐH Bách khoa Hà Nội", allow_duplicate="y"))
    assert done.status_code == 302
    assert len(session.exec(select(Host)).all()) == 2


def test_a_malformed_tax_code_is_refused_in_vietnamese_at_its_field(client, make):
    client.login(make.admin().email)
    client.use_language("vi")
    page = client.post_form("/hosts/new", _form(name_vi="Viện Vật lý", tax_code="12345"))
    assert page.status_code == 422
    text = page.get_data(as_text=True)
    assert "Mã số thuế gồm 10 chữ số" in text
    assert 'value="12345"' in text


def test_the_register_is_searched_without_accents_and_closed_to_applicants(client, make):
    make.host(name_vi="Viện Hàn lâm Khoa học và Công nghệ Việt Nam")
    make.host(name_vi="Trường Đại học Cần Thơ")
    client.login(make.manager().email)
    text = client.get("/hosts?q=han lam").get_data(as_text=True)
    assert "Viện Hàn lâm" in text
    assert "Cần Thơ" not in text
    client.logout()
    client.login(make.user("applicant").email)
    assert client.get("/hosts").status_code == 403


def test_the_officer_sees_their_host_only_and_endorses_from_my_organisation(
    client, make, session, app
):
    from tests.mailbox import messages

    host, other = make.host(name_vi="Viện Hóa học"), make.host(name_vi="Viện Sinh học")
    officer = make.host_officer(host)
    call = make.call(requires_endorsement=True, endorsement_days=7)
    pi = make.user("applicant")
    client.login(pi.email)
    mine = make.proposal(call=call, pi=pi, host_id=host.id)
    version = client.get(f"/proposals/{mine.id}").get_data(as_text=True)
    assert client.post_form(
        f"/proposals/{mine.id}/submit", {"confirm": "yes", "version_id": str(mine.version_id)}
    )
    client.logout()
    theirs = make.proposal(call=call, host_id=other.id, submit=True)
    assert version
    assert [m["To"] for m in messages(app, officer.email)] == [officer.email]

    client.login(officer.email)
    client.use_language("vi")
    dashboard = client.get("/organisation").get_data(as_text=True)
    assert mine.title in dashboard
    assert "Xem và xác nhận" in dashboard
    assert client.get(f"/proposals/{theirs.id}").status_code == 404
    submission = session.exec(select(Submission).where(Submission.proposal_id == mine.id)).one()
    assert client.get(f"/proposals/{mine.id}/submissions/1").status_code == 200
    endorsement = session.exec(
        select(Endorsement).where(Endorsement.submission_id == submission.id)
    ).one()
    refused = client.post_form(
        f"/endorsements/{endorsement.id}", {"decision": "return", "reason": ""}
    )
    assert refused.status_code == 422
    assert "Nêu lý do trả lại hồ sơ." in refused.get_data(as_text=True)
    done = client.post_form(f"/endorsements/{endorsement.id}", {"decision": "endorse"})
    assert done.status_code == 302
    session.expire_all()
    assert session.get(Endorsement, endorsement.id).status == "endorsed"
    page = client.get(f"/proposals/{mine.id}").get_data(as_text=True)
    assert "Tổ chức chủ trì đã xác nhận" in page


def test_an_endorsement_after_its_period_is_refused_with_a_clear_message(client, make, session):
    host = make.host(name_vi="Viện Hóa học")
    officer = make.host_officer(host)
    call = make.call(requires_endorsement=True, endorsement_days=0)
    proposal = make.proposal(call=call, host_id=host.id, submit=True)
    endorsement = session.exec(
        select(Endorsement).where(Endorsement.proposal_id == proposal.id)
    ).one()
    endorsement.due_at = endorsement.created_at - timedelta(minutes=1)  # the period is over
    session.add(endorsement)
    session.commit()
    client.login(officer.email)
    client.use_language("vi")
    page = client.post_form(f"/endorsements/{endorsement.id}", {"decision": "endorse"})
    assert page.status_code == 422
    assert "Thời hạn xác nhận đã kết thúc" in page.get_data(as_text=True)


def test_the_applicant_names_the_host_on_the_profile_and_a_new_draft_picks_it(
    client, make, session
):
    host = make.host(name_vi="Trường Đại học Cần Thơ")
    pi = make.user("applicant")
    call = make.call()
    client.login(pi.email)
    assert client.post_form("/profile/host", {"host_id": str(host.id)}).status_code == 302
    form = client.get(f"/calls/{call.id}/proposals/new").get_data(as_text=True)
    assert f'<option selected value="{host.id}">' in form or (f'value="{host.id}" selected' in form)
    refused = client.post_form("/profile/host", {"host_id": "999999"})
    assert refused.status_code == 200
    assert "Choose an organisation from the register." in refused.get_data(
        as_text=True
    ) or "Chọn một tổ chức trong danh mục." in refused.get_data(as_text=True)


def test_an_applicant_asks_for_a_missing_organisation(client, make, session):
    pi = make.user("applicant")
    client.login(pi.email)
    done = client.post_form(
        "/profile/host/request",
        {"name_vi": "Công ty TNHH Chip Sông Hàn", "name_en": "", "tax_code": "", "address": ""},
    )
    assert done.status_code == 302
    host = session.exec(select(Host).where(Host.requested_by == pi.id)).one()
    assert host.status == "requested"


def test_the_managers_list_of_submissions_shows_the_endorsement_state(client, make):
    host = make.host(name_vi="Viện Hóa học")
    call = make.call(requires_endorsement=True)
    make.proposal(call=call, host_id=host.id, submit=True)
    client.login(make.manager().email)
    client.use_language("vi")
    text = client.get(f"/calls/{call.id}/submissions").get_data(as_text=True)
    assert "Chờ tổ chức chủ trì xác nhận" in text


def test_the_officer_reads_their_hosts_project_page_and_no_other(client, make, session):
    from datetime import date

    from funds.projects.services import create_award
    from funds.proposals.services import record_decision

    host, other = make.host(name_vi="Viện Hóa học"), make.host(name_vi="Viện Sinh học")
    officer = make.host_officer(host)
    awards = {}
    for h in (host, other):
        p = make.proposal(host_id=h.id, submit=True)
        record_decision(session, actor=make.manager(), proposal_id=p.id, outcome="funded")
        awards[h.id] = create_award(
            session,
            actor=make.manager(),
            proposal_id=p.id,
            contract_number=f"HD-{p.id}",
            contract_date=date(2026, 1, 10),
            start_date=date(2026, 1, 15),
            end_date=date(2027, 12, 31),
        )
    session.commit()
    client.login(officer.email)
    assert client.get(f"/projects/{awards[host.id].id}").status_code == 200
    assert client.get(f"/projects/{awards[other.id].id}").status_code == 404
    page = client.get(f"/hosts/{host.id}").get_data(as_text=True)
    assert awards[host.id].contract_number in page
    assert client.get(f"/hosts/{other.id}").status_code == 404
