"""The audit log's codes in words: what was done, to what, and the states it moved between.

A code this module does not know (a feature added later, a value that is no state: a seat's
role, a notification's kind) shows as code, marked up as such.
"""

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape

from portal.i18n import STATUS_LABELS
from portal.states import MACHINES

ACTIONS = {
    "create": _l("Creation"),
    "update": _l("Updated"),
    "submit": _l("Submitted"),
    "remove": _l("Removed"),
    "save": _l("Saved"),
    "override": _l("Overridden"),
    "decline": _l("Declined"),
    "assign": _l("Assigned"),
    "activate": _l("Activated"),
    "accept_confidentiality": _l("Confidentiality accepted"),
    "accept": _l("Accepted"),
    "withdraw": _l("Withdrawn"),
    "upload": _l("Uploaded"),
    "unlock": _l("Unlocked"),
    "submit_review": _l("Review submitted"),
    "store_pdf": _l("PDF stored"),
    "stop": _l("Stopped"),
    "sign_out_everywhere": _l("Signed out everywhere"),
    "sign_out": _l("Signed out"),
    "sign_in": _l("Sign-in"),
    "sign": _l("Signed"),
    "settle": _l("Settled"),
    "set_roles": _l("Roles set"),
    "set_anchors": _l("Score anchors set"),
    "session_expired": _l("Session expired"),
    "send_password_link": _l("Password link sent"),
    "self_evaluation": _l("Self-evaluation"),
    "review": _l("Reviewed"),
    "request_password_reset": _l("Password reset requested"),
    "request_email_change": _l("E-mail change requested"),
    "request": _l("Requested"),
    "reopen_review": _l("Review reopened"),
    "reopen": _l("Reopened"),
    "remove_manager": _l("Manager removed"),
    "reminder": _l("Reminder"),
    "register": _l("Registered"),
    "refused": _l("Access refused"),
    "override_regime": _l("Regime overridden"),
    "override_allocation": _l("Allocation overridden"),
    "open_liability_case": _l("Liability case opened"),
    "open": _l("Opened"),
    "mail_receipt": _l("Receipt e-mailed"),
    "link_patent": _l("Patent linked"),
    "join_reviewer_pool": _l("Joined the reviewer pool"),
    "invite": _l("Invited"),
    "import": _l("Imported"),
    "generate": _l("Generated"),
    "final_report": _l("Final report"),
    "export_personal_data": _l("Personal data exported"),
    "erase_personal_data": _l("Personal data erased"),
    "endorse": _l("Endorsed"),
    "email_preferences": _l("E-mail choices"),
    "email_failed": _l("E-mail failed"),
    "dissolve": _l("Dissolved"),
    "detect": _l("Detected"),
    "delete": _l("Deleted"),
    "declare_conflict": _l("Conflict declared"),
    "decide_selection": _l("Selection decided"),
    "decide": _l("Decided"),
    "correct_personal_data": _l("Personal data corrected"),
    "confirm_email": _l("E-mail confirmed"),
    "confirm": _l("Confirmed"),
    "close_vote": _l("Vote closed"),
    "close": _l("Closed"),
    "choose_host": _l("Host chosen"),
    "change_pi": _l("Principal investigator changed"),
    "change_password": _l("Password changed"),
    "change_host": _l("Host changed"),
    "change_email": _l("E-mail changed"),
    "cancel": _l("Cancelled"),
    "approve": _l("Approved"),
    "appoint": _l("Appointed"),
    "adjust": _l("Adjusted"),
    "add_manager": _l("Manager added"),
    "add_criterion": _l("Criterion added"),
    "add_council_member": _l("Council member added"),
    "add": _l("Added"),
    "acknowledge_below_floor": _l("Shortfall acknowledged"),
    "answer": _l("Answered"),
    "schedule": _l("Scheduled"),
    "send": _l("Sent"),
    "pay": _l("Paid"),
    "plan": _l("Planning"),
    "draft": _l("Drafted"),
    "start": _l("Started"),
    "open_voting": _l("Voting opened"),
    "record": _l("Recorded"),
    "declare": _l("Declared"),
    "in_force": _l("Put in force"),
    "propose": _l("Proposed"),
    "send_to_pi": _l("Sent to the PI"),
    "screen_overlap": _l("Compared for overlapping work"),  # reviews.overlap
}
OBJECTS = {
    "access": _l("Access"),
    "affinity": _l("Affinity"),
    "appraisal": _l("Appraisal"),
    "attachment": _l("Attachment"),
    "award": _l("Project"),
    "budget_import": _l("Budget import"),
    "call": _l("Call"),
    "change_request": _l("Change request"),
    "co_investigator": _l("Co-investigator"),
    "compliance_rule": _l("Compliance rule"),
    "conflict": _l("Conflict of interest"),
    "consensus_report": _l("Consensus report"),
    "contract": _l("Contract"),
    "contract_template": _l("Contract template"),
    "council": _l("Council"),
    "council_criteria": _l("Council criteria"),
    "council_decision": _l("Council decision"),
    "council_rules": _l("Council rules"),
    "council_seat": _l("Council seat"),
    "decision": _l("Decision"),
    "endorsement": _l("Endorsement"),
    "fund": _l("Fund"),
    "funding_override": _l("Funding override"),
    "host": _l("Host organisation"),
    "invitation": _l("Invitation"),
    "item_conflict": _l("Conflict on an agenda item"),
    "legal_instrument": _l("Legal instrument"),
    "legal_setting": _l("Legal setting"),
    "meeting_item": _l("Agenda item"),
    "milestone": _l("Milestone"),
    "minutes": _l("Minutes"),
    "money_movement": _l("Payment"),
    "money_settlement": _l("Settlement"),
    "notification": _l("Notification"),
    "output": _l("Output"),
    "pair_constraint": _l("Pairing constraint"),
    "profile": _l("Profile"),
    "progress_report": _l("Progress report"),
    "proposal": _l("Proposal"),
    "publication": _l("Publication"),
    "rating_sheet": _l("Rating sheet"),
    "review_assignment": _l("Review assignment"),
    "reviewer_profile": _l("Reviewer profile"),
    "rubric": _l("Rubric"),
    "slate_acknowledgement": _l("Slate acknowledgement"),
    "strategic_technology": _l("Strategic technology"),
    "submission": _l("Submission"),
    "user": _l("Account"),
    "meeting": _l("Council meeting"),
    "session": _l("Session"),
    "attendance": _l("Attendance"),
    # reviews.overlap, funds.limits, funds.profiles.imports
    "overlap_flag": _l("Overlap pair"),
    "fund_limits": _l("Fund limits"),
    "task_register": _l("National task register"),
    "publication_import": _l("Publication file"),
}
# the audit log's object types whose states belong to a machine of another name
MACHINE_OF = {
    "review_assignment": "assignment",
    "progress_report": "report",
    "money_movement": "movement",
    "change_request": "change",
}
_MACHINES = {m.name: m for m in MACHINES}


def as_code(value: str) -> Markup:
    return Markup("<code>{}</code>").format(escape(value))


def audit_action(code: str) -> str | Markup:
    return str(ACTIONS[code]) if code in ACTIONS else as_code(code)


def audit_object(code: str) -> str | Markup:
    return str(OBJECTS[code]) if code in OBJECTS else as_code(code)


def audit_state(object_type: str, state: str | None) -> str | Markup:
    """A value recorded in the log: by the label of its object's machine, else of the portal's
    other labels, else as code."""
    if not state:
        return ""
    machine = _MACHINES.get(MACHINE_OF.get(object_type, object_type))
    if machine is not None and machine.label(state) != state:
        return gettext(machine.label(state))
    if state in STATUS_LABELS:
        return str(STATUS_LABELS[state])
    return as_code(state)


AUDIT_TEXTS = dict(audit_action=audit_action, audit_object=audit_object, audit_state=audit_state)
