"""A call whose proposals are reviewed with given overall scores, for the response to the
reviews and the lottery at the funding line (tests/integration, tests/functional)."""

from reviews.pool.services import accept_confidentiality, save_profile
from reviews.reviewing.services import declare_conflict, save_review

# Two reviewers score every proposal (1–10, ×1,000 basis points); both have the same mean
# (calibrated = score), so each interval is the score ± the standard error of its two totals.
# Budget 2 bn, 1 bn each: the line funds A and B; the line is at (7,500 + 7,000) / 2 = 7,250.
# B [7,000, 8,000] and D [5,000, 8,000] contain it; C [7,000, 7,000] does not: group {B, D},
# money left after A: 1 bn, so one of them is drawn.
LINE_SCORES = {
    "Đề tài A": (9, 9),
    "Đề tài B": (8, 7),
    "Đề tài C": (7, 7),
    "Đề tài D": (8, 5),
    "Đề tài E": (3, 3),
}


def reviewers(make, session, n=2):
    found = [
        make.user("reviewer", name=f"Chuyên gia {i}", institution=f"Viện {i}") for i in range(n)
    ]
    for r in found:
        save_profile(
            session, actor=r, keywords="chip", areas=[], languages="vi", max_load=9, available=True
        )
        accept_confidentiality(session, actor=r)
    return found


def review(session, assignment, reviewer, score):
    declare_conflict(session, actor=reviewer, assignment_id=assignment.id, has_conflict=False)
    save_review(
        session,
        actor=reviewer,
        assignment_id=assignment.id,
        score=score,
        comment=f"Nhận xét {score}",
        submit=True,
    )


def reviewed_call(make, session, scores=LINE_SCORES, *, leave_one_waiting=False, **call_kw):
    """A call with one proposal per title, each reviewed by two reviewers with the scores
    given; `leave_one_waiting`: the last proposal's second review is not in."""
    call_kw.setdefault("budget_vnd", 2_000_000_000)
    call = make.call(**call_kw)
    experts = reviewers(make, session)
    proposals = {}
    for i, (title, marks) in enumerate(scores.items()):
        pi = make.user("applicant", institution=f"Trường {i}")
        proposals[title] = make.proposal(pi=pi, call=call, submit=True, title=title)
        for j, (reviewer, mark) in enumerate(zip(experts, marks, strict=True)):
            a = make.assignment(proposal=proposals[title], reviewer=reviewer)
            last = i == len(scores) - 1 and j == len(experts) - 1
            if not (leave_one_waiting and last):
                review(session, a, reviewer, mark)
    session.commit()
    return call, proposals
