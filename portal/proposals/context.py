"""What the proposal page shows beyond the skeleton: sections, checklist, files, versions."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from funds.calls.services import call_rules
from funds.clock import utcnow
from funds.hosts.queries import latest_endorsement
from funds.limits.queries import limit_items
from funds.proposals import sections
from funds.proposals.eligibility import budget_totals, eligibility
from funds.proposals.permissions import can_edit_proposal, can_reopen_proposal
from funds.submission.services import submissions_of
from portal import db
from portal.edge import params_for_display as display_params
from portal.overlap.context import overlap_context
from portal.proposals.forms import CopyForm
from portal.submission.forms import KIND_LABELS, AttachmentForm, MemberForm


def detail_context(proposal, call) -> dict:
    s = db.session()
    editable = can_edit_proposal(proposal, current_user)
    rules = call_rules(s, call)
    lines = sections.budget_lines(s, proposal.id)
    return {
        "work_packages": sections.work_packages(s, proposal.id),
        "budget_lines": lines,
        "totals": budget_totals(lines),
        "counterparts": sections.counterparts(s, proposal.id),
        "team": sections.team(s, proposal.id),
        "attachments": sections.attachments(s, proposal.id),
        "kind_labels": KIND_LABELS,
        "required_kinds": sorted(rules.required_attachments),
        "checklist": checklist_rows(
            eligibility(sections.facts_for(s, proposal), rules, utcnow()) + limit_items(s, proposal)
        )
        if editable
        else [],
        "submissions": submissions_of(s, proposal.id),
        "can_reopen": can_reopen_proposal(proposal, current_user),
        "attachment_form": AttachmentForm(),
        "member_form": MemberForm(),
        "copy_form": CopyForm(),
        "max_mb": call.attachment_max_mb,
        "endorsement": latest_endorsement(s, proposal.id),
        "nav": section_status(proposal, call) if editable else [],
        **overlap_context(proposal),
    }


def checklist_rows(items) -> list[dict]:
    """Each check as the page shows it: in positive words once it holds, what to fix
    while it does not; money and instants formatted, attachment kinds by their labels."""
    rows = []
    for item in items:
        params = display_params(item.params)
        if "kinds" in params:
            params["kinds"] = ", ".join(
                str(KIND_LABELS.get(k, k)) for k in item.params.get("missing", ())
            )
        rows.append(
            {
                "key": item.key,
                "ok": item.ok,
                "anchor": item.anchor,
                "text": _(item.text, **params) if params else _(item.text),
            }
        )
    return rows


# the proposal's sections in the order of the form; the team and files are on its page
SECTIONS = (
    ("summary", _l("Summary"), True),
    ("workplan", _l("Work plan"), True),
    ("budget", _l("Budget"), True),
    ("outputs", _l("Expected outputs"), True),
    ("team", _l("Team"), False),
    ("attachments", _l("Attachments"), False),
)


def section_status(proposal, call) -> list[dict]:
    """Each section with its state from the checks anchored to it: complete when all hold,
    else how many are still to do; None for a section no check concerns (or a new draft)."""
    items = []
    if proposal is not None:
        s = db.session()
        items = eligibility(sections.facts_for(s, proposal), call_rules(s, call), utcnow())
    rows = []
    for anchor, label, on_form in SECTIONS:
        checks = [i for i in items if i.anchor == anchor]
        todo = sum(1 for i in checks if not i.ok)
        rows.append(
            {
                "anchor": anchor,
                "label": str(label),
                "on_form": on_form,
                "state": (None if not checks else "complete" if not todo else "todo"),
                "todo": todo,
            }
        )
    return rows
