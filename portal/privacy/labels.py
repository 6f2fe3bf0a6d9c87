"""Labels of the export's sections and fields, for the personal-data pages and the PDF."""

from flask_babel import lazy_gettext as _l

SECTIONS = {
    "account": _l("Account"), "consents": _l("Consent history"), "profile": _l("Profile"),
    "publications": _l("Publications"), "proposals": _l("Proposals you lead"),
    "team_memberships": _l("Proposal teams you are in"), "projects": _l("Funded projects"),
    "council_memberships": _l("Acceptance councils"), "audit_entries": _l("Audit log entries"),
    "reviewer_profile": _l("Reviewer profile"), "bids": _l("Bids"),
    "conflict_declarations": _l("Conflict-of-interest declarations"),
    "review_assignments": _l("Review assignments"), "reviews": _l("Reviews you wrote"),
    "affinity_scores": _l("Affinity scores"), "pair_constraints": _l("Assignment constraints"),
    "invitations": _l("Invitations"), "sign_in_records": _l("Sign-in sessions and links"),
}
FIELDS = {
    "id": _l("Number"), "email": _l("E-mail"), "name": _l("Name"),
    "institution": _l("Institution"), "orcid": _l("ORCID iD"), "locale": _l("Language"),
    "is_active": _l("Active"), "roles": _l("Roles"), "created_at": _l("Created"),
    "consent_at": _l("Consent given"), "consent_version": _l("Notice version"),
    "kind": _l("Kind"), "version": _l("Version"), "source": _l("Source"), "at": _l("When"),
    "title": _l("Title"), "status": _l("Status"), "abstract": _l("Summary"),
    "requested_vnd": _l("Requested (đồng)"), "amount_vnd": _l("Amount (đồng)"),
    "submitted_at": _l("Submitted"), "updated_at": _l("Updated"), "comment": _l("Comment"),
    "score": _l("Score"), "reason": _l("Reason"), "proposal_id": _l("Proposal number"),
    "level": _l("Level"), "action": _l("Action"), "detail": _l("Detail"),
    "object_type": _l("Object"), "object_id": _l("Object number"), "by": _l("By"),
    "contract_number": _l("Contract number"), "receipt_no": _l("Receipt number"),
    "role": _l("Role"), "year": _l("Year"), "keywords": _l("Keywords"),
}
