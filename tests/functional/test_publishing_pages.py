"""A fund's managers choose what the public sees and hold the fund's API tokens: created
with the token shown once, listed by its first characters, revoked at once."""

import re

from sqlmodel import select

from funds.publication.models import ApiToken
from tests.public_data import marked_portfolio


def test_a_manager_withholds_the_abstract_and_the_public_page_drops_it(client, make, session):
    portfolio = marked_portfolio(make, session)
    url = f"/public/projects/{portfolio.public_id}"
    assert "Tóm tắt công khai về cảm biến." in client.get(url).get_data(as_text=True)
    client.login(make.manager().email)
    form = {"pi_name": "y", "amount": "y", "outputs": "y", "rating": "y"}  # no abstract
    saved = client.post_form(f"/publishing/fields?fund_id={portfolio.fund.id}", form)
    assert saved.status_code == 302
    client.logout()
    assert "Tóm tắt công khai về cảm biến." not in client.get(url).get_data(as_text=True)


def test_a_token_is_shown_once_listed_by_its_prefix_and_revoked(client, make, session):
    portfolio = marked_portfolio(make, session)
    client.login(make.manager().email)
    page = client.post_form(
        "/publishing/tokens",
        {"fund_id": portfolio.fund.id, "name": "Cổng dữ liệu", "scope": "compliance", "days": 30},
    ).get_data(as_text=True)
    token = re.search(r"<code>(rdf_[^<]+)</code>", page).group(1)
    listed = client.get("/publishing/tokens").get_data(as_text=True)
    assert token not in listed
    assert token[:10] in listed
    row = session.exec(select(ApiToken)).one()
    assert (
        client.get(
            "/api/v1/compliance/2026", headers={"Authorization": f"Bearer {token}"}
        ).status_code
        == 200
    )
    assert client.post_form(f"/publishing/tokens/{row.id}/revoke", {}).status_code == 302
    client.logout()
    refused = client.get("/api/v1/compliance/2026", headers={"Authorization": f"Bearer {token}"})
    assert refused.status_code == 401


def test_an_applicant_may_not_open_the_publishing_pages(client, make):
    client.login(make.user("applicant").email)
    assert client.get("/publishing/tokens").status_code == 403
    assert client.get("/publishing/fields").status_code == 403
