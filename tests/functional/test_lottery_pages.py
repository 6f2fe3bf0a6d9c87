"""The lottery at the funding line over HTTP: the group shown before the commitment, the
commitment and its time before the draw with the seed hidden, the seed revealed after it,
the draw refused without a commitment, and the replay page agreeing with the result."""

import hashlib
import re

from reviews.consolidation.lottery.queries import lottery_of
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
