"""Job pages over HTTP: starting redirects to the job, its page and JSON, cancel, access."""

import re
from io import BytesIO

import pytest
from sqlmodel import select

from funds.jobs.models import Job
from funds.jobs.services import create_job
from portal.jobs.runners import BUDGET_IMPORT
from reviews.pool.services import save_profile
from tests.budget_data import FUNDS, PORTFOLIO, YEARS


@pytest.fixture
def call_world(make, session):
    call = make.call()
    for i in range(2):
        pi = make.user("applicant", institution=f"Viện {i}")
        make.proposal(pi=pi, call=call, submit=True, title=f"Vi mạch {i}")
    for i in range(3):
        reviewer = make.user("reviewer", institution=f"Đại học {i}")
        save_profile(
            session,
            actor=reviewer,
            keywords="vi mạch",
            areas=[],
            languages="vi",
            max_load=3,
            available=True,
        )
    session.commit()
    return call


def test_starting_an_assignment_leads_to_its_job_page_with_the_result(client, make, call_world):
    client.login(make.manager().email)
    client.use_language("en")
    r = client.post_form(f"/review-management/calls/{call_world.id}/assignment", {"fairness": ""})
    assert r.status_code == 302
    job_url = r.headers["Location"]
    assert re.fullmatch(r"/jobs/\d+", job_url)
    page = client.get(job_url).get_data(as_text=True)  # the test queue ran it already
    assert '<progress id="job-progress" max="100" value="100">' in page
    assert "assignments made" in page
    assert f'href="/review-management/calls/{call_world.id}"' in page
    assert 'id="job-cancel"' not in page  # nothing left to cancel
    status = client.get(job_url + ".json").get_json()
    assert (status["state"], status["percent"], status["active"]) == ("done", 100, False)
    assert job_url in client.get("/jobs/").get_data(as_text=True)


def test_an_import_is_a_job_whose_page_says_what_was_imported(client, make):
    client.login(make.manager().email)
    client.use_language("en")
    r = client.post_form(
        "/budget/import",
        {
            "files": [
                (BytesIO(FUNDS.encode()), "funds.csv"),
                (BytesIO(YEARS.encode()), "years.csv"),
                (BytesIO(PORTFOLIO.encode()), "portfolio.csv"),
            ]
        },
        content_type="multipart/form-data",
        follow_redirects=True,
    )
    page = r.get_data(as_text=True)
    assert "Imported: funds 2, budget_years 4" in page
    assert 'href="/budget/"' in page


def test_a_queued_job_is_cancelled_by_its_button(client, make, session):
    manager = make.manager()
    job = create_job(session, actor=manager, kind=BUDGET_IMPORT, params={"files": []})
    session.commit()
    client.login(manager.email)
    page = client.get(f"/jobs/{job.id}").get_data(as_text=True)
    assert 'id="job-cancel"' in page
    assert 'role="status" aria-live="polite"' in page
    assert client.post_form(f"/jobs/{job.id}/cancel", {}).status_code == 302
    session.expire_all()
    assert session.get(Job, job.id).state == "cancelled"
    assert client.post(f"/jobs/{job.id}/cancel").status_code == 400  # no CSRF token


def test_another_funds_manager_gets_404_for_the_page_the_json_and_cancel(
    client, make, session, call_world
):
    job = create_job(
        session, actor=make.manager(), kind="assignment", params={}, fund_id=call_world.fund_id
    )
    session.commit()
    stranger = make.manager_of(make.fund(code="XA"))
    client.login(stranger.email)
    assert client.get(f"/jobs/{job.id}").status_code == 404
    assert client.get(f"/jobs/{job.id}.json").status_code == 404
    assert client.post_form(f"/jobs/{job.id}/cancel", {}).status_code == 404
    assert client.get("/jobs/999999").status_code == 404
    session.expire_all()
    assert session.exec(select(Job)).one().state == "queued"


def test_the_submissions_zip_is_a_job_whose_file_only_its_people_download(client, make, session):
    call = make.call()
    make.proposal(call=call, submit=True, title="Pin natri")
    client.login(make.manager().email)
    job_url = client.post_form(f"/calls/{call.id}/submissions.zip", {}).headers["Location"]
    page = client.get(job_url).get_data(as_text=True)
    assert f'href="{job_url}/file"' in page
    download = client.get(f"{job_url}/file")
    assert download.data[:2] == b"PK"
    download.close()
    client.logout()
    client.login(make.manager_of(make.fund(code="ZB")).email)
    assert client.get(f"{job_url}/file").status_code == 404
