"""The home page sends each person to the page of their main role."""

import pytest

from portal import demo


@pytest.fixture
def seeded(runner):
    runner.invoke(args=["seed-demo"])


@pytest.mark.parametrize(
    "email, home",
    [
        ("reviewer1@example.org", "/reviews"),
        ("applicant@example.org", "/proposals"),
        ("host@example.org", "/organisation"),  # it was /proposals, a 403 for a host officer
    ],
)
def test_each_role_lands_on_its_own_page(client, seeded, email, home):
    client.login(email, demo.DEMO_PASSWORD)
    r = client.get("/")
    assert r.status_code == 302
    assert r.headers["Location"] == home
    assert client.get(home).status_code == 200
