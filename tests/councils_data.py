"""Councils for tests: eligible experts and a selection council of seven, formed through the
services as a fund manager would form it (shared by the councils' integration, functional
and browser tests)."""

from sqlmodel import Session

from funds.clock import to_local, utcnow
from funds.profiles.services import add_publication, update_profile
from reviews.councils import services as councils

SEVEN = (
    "chair",
    "vice_chair",
    "secretary",
    "reviewer_member",
    "reviewer_member",
    "member",
    "member",
)


def expert(
    make, session: Session, *, name=None, institution="Viện Vật lý", title="PGS.TS.", email=None
):
    """A member of the reviewer pool whose profile shows a doctorate and a recent paper."""
    user = make.user("reviewer", name=name, institution=institution, email=email, commit=False)
    update_profile(session, actor=user, institution=institution, orcid="", title=title)
    if title:
        add_publication(
            session,
            actor=user,
            title="Một bài báo",
            authors=user.name,
            year=to_local(utcnow()).year - 1,
        )
    session.commit()
    return user


def selection_council(
    make, session: Session, *, call=None, roles=SEVEN, activate=True, manager=None
):
    """(council, seats in the order of `roles`, call): a selection council for the call."""
    call = call or make.call()
    manager = manager or make.manager()
    council = councils.create_council(
        session,
        actor=manager,
        fund_id=call.fund_id,
        kind="selection",
        name="Hội đồng tư vấn tuyển chọn",
        call_id=call.id,
        formed_by="QĐ số 12/QĐ-QPTKHCN",
    )
    seats = []
    for i, role in enumerate(roles):
        member = expert(
            make, session, name=f"Thành viên {i + 1} ({role})", institution=f"Viện {i + 1}"
        )
        seats.append(
            councils.appoint_member(
                session, actor=manager, council_id=council.id, user_id=member.id, role=role
            )
        )
    if activate:
        councils.activate_council(session, actor=manager, council_id=council.id)
    session.commit()
    return council, seats, call
