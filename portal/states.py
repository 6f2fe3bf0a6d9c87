"""The state machines' labels in the user's language: one Jinja filter per machine.

`{{ award.status|award_state }}` shows the translated label the domain wrote beside the
state (funds.states.Machine.label); templates show states, they never compare them.
"""

from typing import NamedTuple

from flask import Flask
from flask_babel import gettext

from funds.appraisal.rules import APPRAISAL
from funds.contracts.rules import CONTRACT
from funds.hosts.rules import ENDORSEMENT, HOST
from funds.projects.money.rules import MOVEMENT
from funds.projects.rules import (
    AWARD,
    CHANGE,
    FINAL_REPORT,
    MILESTONE,
    REPORT,
    REPORTING_PERIOD,
)
from funds.proposals.rules import PROPOSAL
from funds.states import Machine
from funds.submission.rules import SUBMISSION
from reviews.assignment.rules import ASSIGNMENT, REVIEW
from reviews.councils.rules import COUNCIL, ITEM, MEETING

MACHINES: tuple[Machine, ...] = (
    PROPOSAL,
    SUBMISSION,
    ENDORSEMENT,
    HOST,
    ASSIGNMENT,
    REVIEW,
    AWARD,
    MILESTONE,
    MOVEMENT,
    REPORT,
    CHANGE,
    FINAL_REPORT,
    REPORTING_PERIOD,
    APPRAISAL,
    CONTRACT,
    COUNCIL,
    MEETING,
    ITEM,
)


def state_label(machine: Machine, value: str | None) -> str:
    """The translated label of a state of this machine ("—" for none)."""
    return "—" if value is None else gettext(machine.label(value))


class StateOption(NamedTuple):
    value: str
    label: str
    selected: bool


def state_options(machine: Machine, states, selected: str | None = None) -> list[StateOption]:
    """The <option>s of a filter by state, with the one chosen marked."""
    return [
        StateOption(str(s), state_label(machine, s), str(s) == (selected or "")) for s in states
    ]


def init_app(app: Flask) -> None:
    """Register `<machine>_state` filters: proposal_state, award_state, report_state, …"""
    for machine in MACHINES:
        app.jinja_env.filters[f"{machine.name}_state"] = lambda value, machine=machine: state_label(
            machine, value
        )
