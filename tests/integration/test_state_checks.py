"""The database backs the state machines: a status column holds one of its states."""

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from funds.proposals.rules import PROPOSAL
from reviews.assignment.rules import ASSIGNMENT


@pytest.mark.parametrize(
    "table, machine", [("proposal", PROPOSAL), ("review_assignment", ASSIGNMENT)]
)
def test_the_database_refuses_a_status_its_machine_does_not_have(make, session, table, machine):
    assignment = make.assignment()
    row_id = assignment.proposal_id if table == "proposal" else assignment.id
    forged = text(f"UPDATE {table} SET status = 'approved_by_email' WHERE id = :id")
    with pytest.raises(IntegrityError):
        session.execute(forged, {"id": row_id})
    session.rollback()
    for state in machine.states:  # every state of the machine is accepted
        session.execute(
            text(f"UPDATE {table} SET status = :s WHERE id = :id"), {"s": str(state), "id": row_id}
        )
    session.rollback()
