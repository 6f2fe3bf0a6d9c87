"""The lottery at the funding line over HTTP: the group shown before the commitment, the
commitment and its time before the draw with the seed hidden, the seed revealed after it,
the draw refused without a commitment, and the replay page agreeing with the result."""

import hashlib
import re
from io import BytesIO

from pypdf import PdfReader

from reviews.consolidation.lottery.queries import lottery_of
from reviews.councils.meetings.models import MeetingItem
from tests import council_minutes_data as councils
from tests.rebuttal_data import reviewed_call


def test_commit_then_draw_reveals_a_seed_that_replays(client, make, session):
    call, _p = reviewed_call(make, session, lottery_at_line=True)
    client.login(make.manager().email)
    client.use_language("en")
    base = f"/review-management/calls/{call.id}"
    page = client.get(base).get_data(as_text=True)
    plan = page[page.index('id="lottery-plan"') :]
    plan = plan[: plan.index("</ul>")]
    assert "Đề tài B" in plan
    assert "Đề tài D" in plan
    assert "Đề tài C" not in plan
    assert 'id="lottery-draw"' not in page  # nothing to draw before a commitment
    refused = client.post_form(f"{base}/lottery/draw", {}, follow_redirects=True)
    assert "Commit a seed first" in refused.get_data(as_text=True)
    assert client.post_form(f"{base}/lottery/commit", {}).status_code == 302
    committed = client.get(base).get_data(as_text=True)
    commitment = re.search(r'id="lottery-commitment">([0-9a-f]{64})<', committed).group(1)
    assert 'id="lottery-committed-at"' in committed
    assert 'id="lottery-seed"' not in committed
    session.expire_all()
    assert lottery_of(session, call.id).seed not in committed
    assert client.post_form(f"{base}/lottery/draw", {}).status_code == 302
    drawn = client.get(base).get_data(as_text=True)
    seed = re.search(r'id="lottery-seed">([0-9a-f]{64})<', drawn).group(1)
    assert hashlib.sha256(bytes.fromhex(seed)).hexdigest() == commitment
    assert drawn.count("Funded by lottery") == 1
    assert drawn.count("Not drawn") == 1
    assert "(by lottery)" in drawn
    replay = client.get(f"{base}/lottery/").get_data(as_text=True)
    assert "Replayed from the seed: the same order and result" in replay
    assert f"flask lottery-replay --seed {seed}" in replay


def test_a_call_without_the_lottery_shows_no_lottery_and_refuses_posts(client, make, session):
    call, _p = reviewed_call(make, session)
    client.login(make.manager().email)
    base = f"/review-management/calls/{call.id}"
    assert 'id="lottery"' not in client.get(base).get_data(as_text=True)
    client.post_form(f"{base}/lottery/commit", {})
    assert lottery_of(session, call.id) is None
    assert client.get(f"{base}/lottery/").status_code == 404


def test_another_funds_manager_cannot_reach_the_lottery(client, make, session):
    call, _p = reviewed_call(make, session, lottery_at_line=True)
    other = make.user("manager")
    client.login(other.email)
    assert (
        client.post_form(f"/review-management/calls/{call.id}/lottery/commit", {}).status_code
        == 404
    )


def test_the_decisions_follow_the_draw_and_each_letter_carries_it(client, make, session):
    call, p = reviewed_call(make, session, lottery_at_line=True)
    manager = make.manager()
    client.login(manager.email)
    base = f"/review-management/calls/{call.id}"
    client.use_language("en")
    refused = client.post_form(f"{base}/decisions", {}, follow_redirects=True)
    assert "this call allots their money by lottery: commit a seed and draw first." in (
        refused.get_data(as_text=True)
    )
    client.post_form(f"{base}/lottery/commit", {})
    client.post_form(f"{base}/lottery/draw", {})
    session.expire_all()
    lottery = lottery_of(session, call.id)
    winner = int(lottery.funded_ids)
    above = sorted([p["Đề tài A"].id, winner])
    slate = "/budget/slate?" + "&".join(f"proposal={pid}" for pid in above)
    client.post_form(slate, {"confirm": "y", "note": "Quỹ chấp nhận"})
    assert client.post_form(f"{base}/decisions", {}).status_code == 302
    letter = client.get(f"/letters/proposals/{winner}.pdf")
    assert letter.status_code == 200
    text = "".join(
        "".join(page.extract_text() for page in PdfReader(BytesIO(letter.data)).pages).split()
    )
    assert lottery.seed in text
    assert lottery.commitment in text


def test_the_council_sees_the_commitment_before_the_draw_and_the_seed_after(client, make, session):
    call, p = reviewed_call(make, session, lottery_at_line=True)
    manager = make.manager()
    sitting = councils.sitting(session, make, fund_id=call.fund_id, call_id=call.id)
    item = MeetingItem(meeting_id=sitting.meeting.id, proposal_id=p["Đề tài B"].id, position=1)
    session.add(item)
    session.commit()
    base = f"/review-management/calls/{call.id}"
    client.login(manager.email)
    client.post_form(f"{base}/lottery/commit", {})
    client.logout()
    client.login(sitting.users[3].email)
    before = client.get(f"/council-work/items/{item.id}").get_data(as_text=True)
    session.expire_all()
    lottery = lottery_of(session, call.id)
    assert f'id="lottery-commitment">{lottery.commitment}<' in before
    assert lottery.seed not in before
    client.logout()
    client.login(manager.email)
    client.post_form(f"{base}/lottery/draw", {})
    client.logout()
    client.login(sitting.users[3].email)
    after = client.get(f"/council-work/items/{item.id}").get_data(as_text=True)
    assert f'id="lottery-seed">{lottery.seed}<' in after
