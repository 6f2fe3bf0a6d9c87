"""The members' council pages through the client: the agenda, the rating sheet (saved,
autosaved, a stale save keeping what was typed, submitted), the secret ballot, the
secretary's closing and the published result."""

from sqlmodel import select

from reviews.councils.meetings.models import RatingSheet
from reviews.rubric.services import criteria_of, rubric_for_call
from tests.council_sheets_data import set_status, sitting


def sheet_data(session, sit, value, **extra):
    crit = criteria_of(session, rubric_for_call(session, sit.council.call_id))
    return {f"score_{c.id}": str(min(value, c.scale_max)) for c in crit} | extra


def test_a_member_fills_a_sheet_votes_and_sees_the_result(client, make, session):
    sit = sitting(make, session, items=1)
    (item,) = sit.items
    member = sit.members[3]
    client.login(member.email)
    agenda = client.get("/council-work/").get_data(as_text=True)
    assert "Đề xuất 1" in agenda
    url = f"/council-work/items/{item.id}"
    page = client.get(url).get_data(as_text=True)
    assert 'id="sheet-form"' in page
    assert 'inputmode="numeric"' in page
    saved = client.post_form(
        f"{url}/sheet", sheet_data(session, sit, 4, opinion="Bản nháp", version_id="0")
    )
    assert saved.status_code == 302
    auto = client.post_form(
        f"{url}/sheet",
        sheet_data(session, sit, 4, opinion="Tự lưu", version_id="1"),
        headers={"X-Requested-With": "fetch"},
    )
    assert auto.status_code == 200
    assert auto.get_json()["version_id"] == 2
    stale = client.post_form(
        f"{url}/sheet", sheet_data(session, sit, 3, opinion="Đoạn văn tôi vừa gõ", version_id="1")
    )
    assert stale.status_code == 409
    text = stale.get_data(as_text=True)
    assert "Đoạn văn tôi vừa gõ" in text  # what was typed is kept
    assert 'role="alert"' in text
    stored = session.exec(select(RatingSheet)).one()
    session.refresh(stored)
    assert stored.opinion == "Tự lưu"
    submitted = client.post_form(
        f"{url}/sheet",
        sheet_data(session, sit, 4, opinion="Ý kiến cuối", version_id="2", action="submit"),
    )
    assert submitted.status_code == 302
    assert 'id="sheet-submitted"' in client.get(url).get_data(as_text=True)

    set_status(session, item, "voting")
    page = client.get(url).get_data(as_text=True)
    assert 'id="secret-notice"' in page
    assert client.post_form(f"{url}/vote", {"choice": "select"}).status_code == 302
    again = client.get(url).get_data(as_text=True)
    assert 'id="voted"' in again
    assert 'id="ballot-form"' not in again
    for other in sit.members:
        if other.id != member.id:
            from reviews.councils.ballots.services import cast_vote

            cast_vote(session, actor=other, item_id=item.id, choice="select")
            session.commit()
    client.logout()

    client.login(sit.secretary.email)
    assert 'id="close-form"' in client.get(url).get_data(as_text=True)
    closed = client.post_form(
        f"{url}/close", {"requested_changes": "Giảm kinh phí 10%", "dissent": ""}
    )
    assert closed.status_code == 302
    result = client.get(url).get_data(as_text=True)
    assert 'id="result"' in result
    assert "Giảm kinh phí 10%" in result
    assert 'id="sheets-table"' in result


def test_an_outsider_gets_404_and_an_empty_ballot_is_refused_with_its_form(client, make, session):
    sit = sitting(make, session, items=1)
    (item,) = sit.items
    client.login(sit.outsider.email)
    assert client.get(f"/council-work/items/{item.id}").status_code == 404
    client.logout()
    set_status(session, item, "voting")
    client.login(sit.chair.email)
    refused = client.post_form(f"/council-work/items/{item.id}/vote", {})
    assert refused.status_code == 422
    assert 'role="alert"' in refused.get_data(as_text=True)
