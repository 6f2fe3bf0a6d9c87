"""External experts join the pool through an e-mailed, single-use link."""

import email
import email.policy
import re
from pathlib import Path

from sqlmodel import select

from funds.accounts.models import User
from reviews.pool.models import ReviewerProfile


def test_invited_expert_joins_with_confidentiality_accepted(app, client, make, session):
    client.login(make.manager().email)
    r = client.post_form(
        "/review-management/invitations", {"name": "GS. Ngoại Viện", "email": "expert@example.net"}
    )
    assert r.status_code == 302
    client.logout()
    outbox = Path(app.config["INSTANCE_DATA"]) / "outbox"
    message = email.message_from_bytes(
        next(outbox.glob("*.eml")).read_bytes(), policy=email.policy.default
    )
    assert message["To"] == "expert@example.net"
    mail = message.get_body().get_content()
    secret = re.search(r"http://localhost/auth/link#([\w-]+)", mail).group(1)
    assert secret not in mail.split("#")[0]  # the secret only after '#', never in the path
    assert client.post_form("/auth/link", {"token": secret}).status_code == 302
    link = "/invitation"

    r = client.post_form(
        link,
        {
            "name": "GS. Ngoại Viện",
            "institution": "ĐH Quốc tế",
            "password": "a-strong-passphrase",
            "confirm": "a-strong-passphrase",
        },
    )
    assert r.status_code == 200  # confidentiality not accepted: refused, nothing created
    assert session.exec(select(User).where(User.email == "expert@example.net")).first() is None
    r = client.post_form(
        link,
        {
            "name": "GS. Ngoại Viện",
            "institution": "ĐH Quốc tế",
            "password": "a-strong-passphrase",
            "confirm": "a-strong-passphrase",
            "confidentiality": "y",
        },
    )
    assert r.status_code == 302
    client.login("expert@example.net", "a-strong-passphrase")  # the link signed nobody in
    user = session.exec(select(User).where(User.email == "expert@example.net")).one()
    assert user.roles == {"reviewer"}
    profile = session.exec(select(ReviewerProfile).where(ReviewerProfile.user_id == user.id)).one()
    assert profile.confidentiality_accepted_at is not None
    assert client.get("/reviews").status_code == 200
    client.logout()
    assert client.post_form("/auth/link", {"token": secret}).status_code == 400  # single use
    assert client.get(link).status_code == 404


def test_only_managers_invite(client, make):
    client.login(make.user("reviewer").email)
    assert client.get("/review-management/invitations").status_code == 403
    assert client.get("/invitation").status_code == 404
    assert client.post_form("/auth/link", {"token": "not-a-token"}).status_code == 400
