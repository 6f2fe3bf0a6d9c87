"""Host organisations: the register and its pages, My organisation, the endorsement page,
and the applicant's choice of host."""

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from funds.calls.queries import managed_fund_ids
from funds.errors import NotFound
from funds.hosts import queries as q
from funds.hosts import services as svc
from funds.hosts.errors import DuplicateHost
from funds.hosts.models import Host
from funds.hosts.permissions import (
    can_choose_host,
    can_confirm_host,
    can_endorse,
    can_register_hosts,
    has_organisation,
    officer_of,
)
from funds.hosts.rules import HOST, fold_name
from funds.profiles.services import profile_of
from funds.projects.queries import projects_of_host
from funds.proposals.models import Proposal
from funds.proposals.queries import proposals_of_host
from funds.submission.services import current_submission
from portal import db, edge
from portal.forms import choices
from portal.hosts.forms import (
    EndorsementForm,
    HostChoiceForm,
    HostForm,
    OfficerForm,
    RequestHostForm,
)
from portal.security import requires
from portal.states import state_options

bp = Blueprint("hosts", __name__)


def _load(host_id: int) -> Host:
    try:
        return svc.get_host_for(db.session(), host_id=host_id, actor=current_user)
    except NotFound:
        abort(404)


@bp.get("/hosts")
@requires(can_register_hosts)
def register():
    """The register: search by name (accents optional) or tax code, filter by state."""
    text, status = request.args.get("q", "")[:200], request.args.get("status", "")[:12]
    s = db.session()
    return render_template(
        "hosts/register.html",
        hosts=q.search_hosts(s, text, statuses=[status] if status else None),
        q=text,
        status_options=state_options(HOST, HOST.states, status),
        issues=q.import_issues(s),
    )


def _form_page(form: HostForm, host: Host | None, duplicate: bool):
    return render_template("hosts/form.html", form=form, host=host, duplicate=duplicate)


@bp.route("/hosts/new", methods=["GET", "POST"])
@requires(can_register_hosts)
def new():
    """Register an organisation; a duplicate by tax code is refused, by name warned."""
    form = HostForm()
    if not form.validate_on_submit():
        return _form_page(form, None, False)
    done = edge.run(
        lambda: svc.register_host(
            db.session(),
            actor=current_user,
            allow_duplicate=form.allow_duplicate.data,
            **form.values(),
        ),
        form=form,
        success=_("Organisation registered."),
    )
    if done:
        return redirect(url_for("hosts.detail", host_id=done.value.id))
    return _form_page(form, None, isinstance(done.error, DuplicateHost)), 422


@bp.route("/hosts/<int:host_id>/edit", methods=["GET", "POST"])
@requires(can_register_hosts)
def edit(host_id: int):
    """Correct an organisation's record (audited)."""
    host = _load(host_id)
    form = HostForm(obj=host if request.method == "GET" else None)
    if not form.validate_on_submit():
        return _form_page(form, host, False)
    done = edge.run(
        lambda: svc.update_host(
            db.session(),
            actor=current_user,
            host_id=host.id,
            allow_duplicate=form.allow_duplicate.data,
            **form.values(),
        ),
        form=form,
        success=_("Organisation saved."),
    )
    if done:
        return redirect(url_for("hosts.detail", host_id=host.id))
    return _form_page(form, host, isinstance(done.error, DuplicateHost)), 422


def _scope(host: Host) -> list[int] | None:
    """Whose proposals and projects the page lists: all of them to the host's officers, the
    funds they manage to the register's keepers (administrators see none)."""
    if officer_of(current_user, host):
        return None
    return managed_fund_ids(db.session(), current_user)


@bp.get("/hosts/<int:host_id>")
@login_required
def detail(host_id: int):
    """An organisation: its record, officers, proposals and projects."""
    host = _load(host_id)
    s, keeper = db.session(), can_register_hosts(current_user)
    officer_form = OfficerForm()
    officer_form.user_id.choices = choices(
        (u.id, f"{u.name} <{u.email}>") for u in q.officer_candidates(s, host.id)
    )
    proposals = proposals_of_host(s, host.id, fund_ids=_scope(host))
    return render_template(
        "hosts/detail.html",
        host=host,
        officers=q.officers_of(s, host.id),
        proposals=proposals,
        can_endorse_ids=_endorsable(proposals),
        projects=projects_of_host(s, host.id, fund_ids=_scope(host)),
        can_edit=keeper,
        can_confirm=can_confirm_host(host, current_user),
        officer_form=officer_form,
    )


@bp.post("/hosts/<int:host_id>/decide")
@requires(can_register_hosts)
def decide(host_id: int):
    """Confirm or reject a requested or imported organisation."""
    host = _load(host_id)
    confirm = request.form.get("confirm") == "1"
    edge.run(
        lambda: svc.decide_host(db.session(), actor=current_user, host_id=host.id, confirm=confirm),
        success=_("Organisation confirmed.") if confirm else _("Organisation rejected."),
    )
    return redirect(url_for("hosts.detail", host_id=host.id))


@bp.post("/hosts/<int:host_id>/officers")
@requires(can_register_hosts)
def add_officer(host_id: int):
    host = _load(host_id)
    form = OfficerForm()
    candidates = q.officer_candidates(db.session(), host.id)
    form.user_id.choices = choices((u.id, u.name) for u in candidates)
    if form.validate_on_submit():
        edge.run(
            lambda: svc.link_officer(
                db.session(), actor=current_user, host_id=host.id, user_id=form.user_id.data
            ),
            success=_("Officer added."),
        )
    return redirect(url_for("hosts.detail", host_id=host.id, _anchor="officers"))


@bp.post("/hosts/<int:host_id>/officers/<int:user_id>/remove")
@requires(can_register_hosts)
def remove_officer(host_id: int, user_id: int):
    host = _load(host_id)
    edge.run(
        lambda: svc.unlink_officer(
            db.session(), actor=current_user, host_id=host.id, user_id=user_id
        ),
        success=_("Officer removed."),
    )
    return redirect(url_for("hosts.detail", host_id=host.id, _anchor="officers"))


@bp.get("/organisation")
@requires(has_organisation)
def mine():
    """My organisation: each host the officer acts for, with what awaits their endorsement,
    its proposals and its projects."""
    s = db.session()
    hosts = [s.get_one(Host, i) for i in q.host_ids_of_officer(s, current_user.id)]
    sections = [(h, proposals_of_host(s, h.id), projects_of_host(s, h.id)) for h in hosts]
    return render_template(
        "hosts/mine.html",
        sections=sections,
        can_endorse_ids=set().union(*(_endorsable(rows) for _h, rows, _p in sections)),
    )


def _endorsable(rows) -> set[int]:
    """The ids of the endorsements in these rows that this user may decide now."""
    s = db.session()
    return {
        e.id
        for _p, _c, _u, e in rows
        if e is not None and can_endorse(e, s.get_one(Host, e.host_id), current_user)
    }


@bp.route("/endorsements/<int:endorsement_id>", methods=["GET", "POST"])
@requires(has_organisation)
def endorsement(endorsement_id: int):
    """Read the submitted version and endorse it or return it with a reason."""
    s = db.session()
    try:
        found = svc.get_endorsement_for(s, endorsement_id=endorsement_id, actor=current_user)
    except NotFound:
        abort(404)
    form = EndorsementForm()
    if form.validate_on_submit():
        if form.decision.data == "endorse":
            call = lambda: svc.endorse_proposal(s, actor=current_user, endorsement_id=found.id)  # noqa: E731
        else:
            call = lambda: svc.return_proposal(  # noqa: E731
                s, actor=current_user, endorsement_id=found.id, reason=form.reason.data or ""
            )
        if edge.run(call, form=form, success=_("Your decision is recorded.")):
            return redirect(url_for("hosts.mine"))
    proposal = s.get_one(Proposal, found.proposal_id)
    host = s.get_one(Host, found.host_id)
    return render_template(
        "hosts/endorsement.html",
        endorsement=found,
        proposal=proposal,
        host=host,
        submission=current_submission(s, proposal.id),
        can_decide=can_endorse(found, host, current_user),
        form=form,
    ), (422 if form.errors or request.method == "POST" else 200)


@bp.route("/profile/host", methods=["GET", "POST"])
@requires(can_choose_host)
def choose():
    """The applicant names their host from the register, or asks for a new one."""
    s = db.session()
    form = HostChoiceForm()
    text = request.args.get("q", "")[:200]
    chosen = profile_of(s, current_user.id).host_id
    form.host_id.choices = host_choices(current_user.id, text, keep=chosen)
    if request.method == "GET":
        form.host_id.data = chosen
    elif form.validate_on_submit() and edge.run(
        lambda: svc.choose_host(s, actor=current_user, host_id=form.host_id.data),
        form=form,
        success=_("Host organisation saved."),
    ):
        return redirect(url_for("hosts.choose"))
    return render_template(
        "hosts/choose.html", form=form, request_form=RequestHostForm(formdata=None), q=text
    )


@bp.post("/profile/host/request")
@requires(can_choose_host)
def request_new():
    """Ask for an organisation missing from the register (a manager confirms it)."""
    form = RequestHostForm()
    if form.validate_on_submit() and edge.run(
        lambda: svc.request_host(db.session(), actor=current_user, **form.values()),
        form=form,
        success=_("Your request is sent; a fund manager will confirm the organisation."),
    ):
        return redirect(url_for("hosts.choose"))
    choice = HostChoiceForm(formdata=None)
    choice.host_id.choices = host_choices(current_user.id)
    return render_template("hosts/choose.html", form=choice, request_form=form, q=""), 422


def host_choices(user_id: int, text: str = "", keep: int | None = None) -> list:
    """The register as the options of a select: none, then each organisation by name (those
    matching `text`, accents optional, and the one chosen so far)."""
    key = fold_name(text)
    rows = [
        h
        for h in q.pickable_hosts(db.session(), user_id)
        if not key or key in h.folded_name or h.id == keep or (h.tax_code or "") == text.strip()
    ]
    return choices(
        [("", _("— choose from the register —"))]
        + [(h.id, f"{h.name_vi}" + (f" — {h.tax_code}" if h.tax_code else "")) for h in rows]
    )
