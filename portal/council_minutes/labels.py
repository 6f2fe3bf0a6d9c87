"""The translated names of council kinds, roles, meeting modes and recommendations, as the
minutes and the decision pages show them."""

from flask_babel import lazy_gettext as _l

KINDS = {
    "selection": _l("Selection council"),
    "midterm": _l("Mid-term council"),
    "acceptance": _l("Acceptance council"),
    "standing": _l("Standing scientific committee"),
}
ROLES = {
    "chair": _l("Chair"),
    "vice_chair": _l("Vice-chair"),
    "secretary": _l("Scientific secretary"),
    "reviewer_member": _l("Reviewer member"),
    "member": _l("Member"),
}
REPRESENTS = {
    "none": "",
    "ordering_body": _l("representative of the ordering body"),
    "enterprise": _l("representative of enterprises"),
}
MODES = {
    "in_person": _l("In person"),
    "online": _l("Online"),
    "mixed": _l("In person and online"),
}
HOW = {"in_person": _l("in person"), "online": _l("online")}
SOURCES = {"automatic": _l("found automatically"), "declared": _l("declared")}
RECOMMENDATIONS = {
    "select": _l("Select"),
    "select_with_changes": _l("Select with changes"),
    "do_not_select": _l("Do not select"),
    "excellent": _l("Excellent"),
    "pass": _l("Pass"),
    "fail": _l("Fail"),
    "continue": _l("Continue"),
    "adjust": _l("Adjust"),
    "stop": _l("Stop"),
    "no_conclusion": _l("No conclusion"),
    "funded": _l("Funded"),
    "not_funded": _l("Not funded"),
}
GROUPS = {
    "kind": KINDS,
    "role": ROLES,
    "represents": REPRESENTS,
    "mode": MODES,
    "how": HOW,
    "source": SOURCES,
    "choice": RECOMMENDATIONS,
}


def label(group: str, value: str | None) -> str:
    """The translated name of `value` in `group` ("—" for none; the value itself if unknown)."""
    if value is None:
        return "—"
    return str(GROUPS[group].get(value, value))
