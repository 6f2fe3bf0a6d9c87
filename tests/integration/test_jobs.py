"""Jobs on a real database: claimed once, cancel undoes the work, failures recorded, access."""

import json
from datetime import timedelta

import pytest
from sqlmodel import Session, func, select

from funds.calls.models import Fund
from funds.clock import utcnow
from funds.compliance import importing, loading
from funds.compliance.models import FiscalYear
from funds.errors import InvalidTransition
from funds.jobs import services as job_services
from funds.jobs.errors import JobNotFound
from funds.jobs.models import Job
from funds.jobs.services import claim_job, create_job, get_job_for
from funds.notifications.models import Notification
from funds.portfolio.models import PortfolioLine
from portal import create_app
from portal.jobs import runners
from portal.jobs.runners import ASSIGNMENT, BUDGET_IMPORT
from portal.jobs.worker import run
from reviews.assignment.models import ReviewAssignment
from reviews.pool.services import save_profile
from tests.budget_data import FUNDS, PORTFOLIO, YEARS


@pytest.fixture
def call_world(make, session):
    call = make.call()
    for i in range(3):
        pi = make.user("applicant", institution=f"Viện {i}")
        make.proposal(pi=pi, call=call, submit=True, title=f"Chip bán dẫn thế hệ {i}")
    for i in range(4):
        reviewer = make.user("reviewer", institution=f"Đại học {i}")
        save_profile(
            session,
            actor=reviewer,
            keywords="chip bán dẫn; vi mạch",
            areas=[],
            languages="vi",
            max_load=3,
            available=True,
        )
    session.commit()
    return call


def count(session, model):
    session.expire_all()
    return session.exec(select(func.count()).select_from(model)).one()


def job_of(session, job_id) -> Job:
    session.expire_all()
    return session.get(Job, job_id)


def assignment_job(session, make, call) -> Job:
    job = create_job(
        session,
        actor=make.manager(),
        kind=ASSIGNMENT,
        params={"call_id": call.id, "per_proposal": 2, "fairness": None},
        fund_id=call.fund_id,
    )
    session.commit()
    return job


def import_job(session, tmp_path, actor=None, **texts) -> Job:
    listed = []
    for name, text in texts.items():
        path = tmp_path / f"{name}.csv"
        path.write_text(text, encoding="utf-8")
        listed.append({"name": path.name, "path": str(path)})
    job = create_job(session, actor=actor, kind=BUDGET_IMPORT, params={"files": listed})
    session.commit()
    return job


def test_a_job_claimed_twice_runs_once(app, session, make, call_world):
    job = assignment_job(session, make, call_world)
    with app.app_context():
        assert run(job.id) == "done"
        made = count(session, ReviewAssignment)
        assert run(job.id) == "not claimed"  # a task delivered twice
    assert made == 6
    assert count(session, ReviewAssignment) == made
    done = job_of(session, job.id)
    assert (done.state, done.done_units, done.total_units) == ("done", 6, 6)
    assert json.loads(done.result)["params"]["n"] == 6
    session.expire_all()
    states = session.exec(select(Notification.email_state)).all()
    assert len(states) == 6
    assert set(states) == {"sent"}  # e-mailed after the job's commit, as from a page


def test_of_two_workers_claiming_at_once_only_one_wins(app, session, make, call_world):
    job = assignment_job(session, make, call_world)
    engine = app.extensions["rdfund.engine"]
    with Session(engine) as first, Session(engine) as second:
        assert claim_job(first, job_id=job.id) is True
        first.commit()
        assert claim_job(second, job_id=job.id) is False
        second.commit()


def test_cancelling_mid_import_leaves_no_imported_row(app, session, tmp_path, monkeypatch):
    job = import_job(session, tmp_path, f=FUNDS, y=YEARS, p=PORTFOLIO)
    monkeypatch.setattr(importing, "CHUNK_ROWS", 2)  # several chunks, a check between each
    asked = {"cancel": False}
    write = loading.apply_portfolio

    def write_then_ask_to_cancel(*args, **kwargs):
        written = write(*args, **kwargs)
        asked["cancel"] = True  # as a person pressing Cancel after the first chunk
        return written

    monkeypatch.setattr(loading, "apply_portfolio", write_then_ask_to_cancel)
    real = job_services.cancel_requested
    monkeypatch.setattr(
        job_services,
        "cancel_requested",
        lambda s, job_id: asked["cancel"] or real(s, job_id=job_id),
    )
    with app.app_context():
        assert run(job.id) == "cancelled"
    assert asked["cancel"]
    assert job_of(session, job.id).state == "cancelled"
    assert count(session, PortfolioLine) == 0
    assert count(session, FiscalYear) == 0
    assert session.exec(select(Fund).where(Fund.code == "NAF")).first() is None


def test_a_cancel_before_the_worker_starts_means_it_never_runs(app, session, make, call_world):
    job = assignment_job(session, make, call_world)
    job_services.cancel_job(session, job_id=job.id, actor=make.manager())
    session.commit()
    with app.app_context():
        assert run(job.id) == "not claimed"
    assert job_of(session, job.id).state == "cancelled"
    assert count(session, ReviewAssignment) == 0


def test_a_rejected_import_fails_with_its_error_and_every_problem(app, session, tmp_path):
    bad = PORTFOLIO + "P3,X,NOFUND,AI,2026,committed,state,abc\n"
    job = import_job(session, tmp_path, f=FUNDS, p=bad)
    with app.app_context():
        assert run(job.id) == "failed"
    failed = job_of(session, job.id)
    assert failed.state == "failed"
    assert failed.error == "Nothing was imported: %(count)s errors were found."
    problems = json.loads(failed.result)["problems"]
    assert json.loads(failed.error_params) == {"count": len(problems)}
    assert {(p["file"], p["row"], p["column"]) for p in problems} >= {
        ("p.csv", 9, "fund_code"),
        ("p.csv", 9, "amount_vnd"),
    }
    assert count(session, PortfolioLine) == 0


def test_an_unexpected_error_is_recorded_and_rolls_back(app, session, tmp_path, monkeypatch):
    def broken(work, job, actor, progress):
        work.add(Fund(code="HALF", name="half-done"))
        work.flush()
        raise RuntimeError("disk full")

    monkeypatch.setitem(runners.RUNNERS, BUDGET_IMPORT, broken)
    job = import_job(session, tmp_path, f=FUNDS)
    with app.app_context():
        assert run(job.id) == "failed"
    failed = job_of(session, job.id)
    assert "RuntimeError: disk full" in json.loads(failed.error_params)["error"]
    assert session.exec(select(Fund).where(Fund.code == "HALF")).first() is None


def test_another_funds_manager_cannot_see_the_job(session, make, call_world):
    job = assignment_job(session, make, call_world)
    other_fund = make.fund(code="OTHER")
    stranger = make.manager_of(other_fund)
    colleague = make.manager_of(call_world.fund)
    with pytest.raises(JobNotFound):
        get_job_for(session, job_id=job.id, actor=stranger)
    with pytest.raises(JobNotFound):
        job_services.cancel_job(session, job_id=job.id, actor=stranger)
    assert get_job_for(session, job_id=job.id, actor=colleague).id == job.id
    assert get_job_for(session, job_id=job.id, actor=make.manager()).id == job.id


def test_a_job_survives_a_web_restart(database_url, tmp_path, session, make, call_world):
    """Queued by one portal process, shown and run by a new one on the same database."""
    job = assignment_job(session, make, call_world)
    restarted = create_app(
        {"TESTING": True, "DATABASE_URL": database_url, "SECRET_KEY": "test-secret"}
    )
    try:
        with restarted.app_context():
            assert run(job.id) == "done"
    finally:
        restarted.extensions["rdfund.engine"].dispose()
    assert job_of(session, job.id).state == "done"


def test_the_import_command_runs_a_job_and_lists_every_problem(runner, session, tmp_path):
    bad = tmp_path / "p.csv"
    bad.write_text(PORTFOLIO + "P3,X,NOFUND,AI,2026,committed,state,abc\n", encoding="utf-8")
    result = runner.invoke(args=["import-budget", str(bad)])
    assert result.exit_code == 1
    assert f"{bad}, row 9, column amount_vnd" in result.output
    assert "Nothing was imported: " in result.output
    assert job_of(session, session.exec(select(Job.id)).one()).state == "failed"


def test_requeue_runs_the_jobs_still_waiting_once(runner, session, make, call_world):
    job = assignment_job(session, make, call_world)
    assert "Queued again: 1 jobs." in runner.invoke(args=["requeue-jobs"]).output
    assert job_of(session, job.id).state == "done"  # the test queue runs tasks at once
    assert "Queued again: 0 jobs." in runner.invoke(args=["requeue-jobs"]).output
    assert count(session, ReviewAssignment) == 6


def test_the_files_of_old_jobs_are_removed(app, runner, session, make, call_world):
    old, recent = (assignment_job(session, make, call_world) for _ in range(2))
    with app.app_context():
        for job in (old, recent):
            run(job.id)
            folder = runners.job_dir(job.id)
            folder.mkdir(parents=True)
            (folder / "call-1-proposals.zip").write_bytes(b"PK")
        old_folder, recent_folder = runners.job_dir(old.id), runners.job_dir(recent.id)
    ended = job_of(session, old.id)
    ended.finished_at -= timedelta(days=8)
    session.add(ended)
    session.commit()
    assert "Removed the files of 1 jobs." in runner.invoke(args=["clean-job-files"]).output
    assert not old_folder.exists()
    assert recent_folder.exists()


def test_a_job_whose_worker_died_is_marked_failed_and_its_late_end_refused(
    runner, session, make, call_world
):
    job = assignment_job(session, make, call_world)
    assert claim_job(session, job_id=job.id, now=utcnow() - timedelta(hours=2))
    session.commit()
    result = runner.invoke(args=["requeue-jobs"])
    assert "Marked failed: 1 stalled jobs. Queued again: 0 jobs." in result.output
    failed = job_of(session, job.id)
    assert failed.state == "failed"
    assert json.loads(failed.error_params) == {"minutes": 60}
    with pytest.raises(InvalidTransition):  # the worker was only slow: its work rolls back
        job_services.finish_job(session, job_id=job.id, result={})
    session.rollback()
