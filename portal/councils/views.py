"""Councils pages: a fund's councils, forming one, its members and rules, and its meetings
run by the secretary (attendance, conflicts, the live quorum of each item)."""

from dataclasses import dataclass
from fractions import Fraction

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from sqlmodel import select

from funds.calls.models import Fund
from funds.calls.queries import managed_fund_ids
from funds.errors import NotFound
from funds.legal.models import LegalInstrument
from portal import db, edge
from portal.councils.criteria.views import bp as criteria_bp
from portal.councils.criteria.views import criteria_section
from portal.councils.display import run as _run
from portal.councils.forms import (
    AppointForm,
    CouncilForm,
    InviteForm,
    MeetingForm,
    ReasonForm,
    RulesForm,
)
from portal.councils.meetings.views import bp as meetings_bp
from portal.forms import choices
from portal.mfa.reauth import reauth_required
from portal.review_admin.invitations import queue_invitation
from portal.security import requires
from reviews.councils import queries as cq
from reviews.councils import services as svc
from reviews.councils.meetings import permissions as mp
from reviews.councils.meetings import queries as mq
from reviews.councils.meetings import services as msvc
from reviews.councils.models import Council, CouncilKind, CouncilRole, Represents
from reviews.councils.permissions import (
    can_activate,
    can_change_members,
    can_edit_council_rules,
    can_manage_council,
    can_manage_councils,
    can_open_council_rules,
    has_accepted_confidentiality,
)
from reviews.councils.rules import (
    DEFAULTS,
    KIND_LABELS,
    MODE_LABELS,
    REPRESENTS_LABELS,
    ROLE_LABELS,
    CouncilRuleSpec,
    format_roles,
    parse_roles,
)
from reviews.invitations.services import invite_expert

bp = Blueprint("councils", __name__, url_prefix="/councils")
bp.register_blueprint(meetings_bp)  # the meetings pages: councils.meetings.*
bp.register_blueprint(criteria_bp)  # the fund's sheet criteria: councils.criteria.*


def _fund(fund_id: int) -> Fund:
    fund = db.session().get(Fund, fund_id)
    if fund is None or not can_manage_council(fund, current_user):
        abort(404)
    return fund


def _managed(council_id: int) -> Council:
    try:
        return svc.managed_council(db.session(), council_id=council_id, actor=current_user)[0]
    except NotFound:
        abort(404)


def _visible(council_id: int) -> Council:
    try:
        return svc.get_council_for(db.session(), council_id=council_id, actor=current_user)
    except NotFound:
        abort(404)


def _id(value) -> int | None:
    """A chosen id, or None for "—" or anything that is not one (the service then refuses)."""
    return int(value) if str(value or "").isdigit() else None


def _back(council_id: int):
    return redirect(url_for("councils.council", council_id=council_id))


@bp.get("/")
@requires(can_manage_councils)
def index():
    """The councils of the funds this manager manages (of one call or project if asked)."""
    s = db.session()
    call_id = request.args.get("call_id", type=int)
    award_id = request.args.get("award_id", type=int)
    rows = []
    for fund_id in managed_fund_ids(s, current_user):
        found = cq.councils_of_fund(s, fund_id)
        if call_id:
            found = [c for c in found if c.call_id == call_id]
        if award_id:
            found = [c for c in found if c.award_id == award_id]
        rows.append((s.get(Fund, fund_id), found))
    return render_template("councils/index.html", rows=rows, call_id=call_id, award_id=award_id)


def _council_choices(form: CouncilForm, fund: Fund) -> None:
    s = db.session()
    form.kind.choices = choices((k, _(v)) for k, v in KIND_LABELS.items())
    form.call_id.choices = choices(
        [("", "—")] + [(c.id, c.title) for c in cq.fund_calls(s, fund.id)]
    )
    form.award_id.choices = choices(
        [("", "—")]
        + [(a.id, f"{a.contract_number} — {p.title}") for a, p in cq.fund_projects(s, fund.id)]
    )


@bp.route("/funds/<int:fund_id>/new", methods=["GET", "POST"])
@requires(can_manage_councils)
def new(fund_id: int):
    """Form a council for a call, a project or a discipline."""
    fund = _fund(fund_id)
    form = CouncilForm()
    _council_choices(form, fund)
    if request.method == "GET":
        form.kind.data = request.args.get("kind", CouncilKind.SELECTION)
        form.call_id.data = request.args.get("call_id", "")
        form.award_id.data = request.args.get("award_id", "")
    if form.validate_on_submit():
        done = edge.run(
            lambda: svc.create_council(
                db.session(),
                actor=current_user,
                fund_id=fund.id,
                kind=form.kind.data,
                name=form.name.data,
                call_id=_id(form.call_id.data),
                award_id=_id(form.award_id.data),
                discipline=form.discipline.data or "",
                formed_by=form.formed_by.data or "",
                formed_on=form.formed_on.data,
            ),
            form=form,
            success=_("Council formed: now appoint its members."),
        )
        if done:
            return _back(done.value.id)
    return render_template("councils/new.html", fund=fund, form=form)


@dataclass(frozen=True)
class MemberRow:
    seat: object
    user: object
    eligibility: object


def _appoint_choices(form: AppointForm, council: Council) -> None:
    s = db.session()
    form.user_id.choices = choices(
        [(u.id, f"{u.name} — {u.institution or u.email}") for u in cq.appointable(s, council)]
    )
    form.role.choices = choices((k, _(v)) for k, v in ROLE_LABELS.items())
    form.represents.choices = choices((k, _(v)) for k, v in REPRESENTS_LABELS.items())


def _meeting_choices(form: MeetingForm) -> None:
    form.mode.choices = choices((k, _(v)) for k, v in MODE_LABELS.items())


def _council_page(council: Council, *, appoint=None, meeting_form=None, invite=None):
    s = db.session()
    fund = s.get_one(Fund, council.fund_id)
    manages = can_manage_council(fund, current_user)
    seat = cq.seat_of(s, council.id, current_user.id)
    problems = svc.composition(s, council)
    spec = cq.council_spec(s, council)
    if manages and appoint is None:
        appoint = AppointForm(formdata=None, represents=Represents.NONE, role=CouncilRole.MEMBER)
    if appoint is not None:
        _appoint_choices(appoint, council)
    running = mp.can_run_meeting(manages, seat, current_user)
    if running and meeting_form is None:
        meeting_form = MeetingForm(formdata=None)
    if meeting_form is not None:
        _meeting_choices(meeting_form)
    return render_template(
        "councils/council.html",
        council=council,
        fund=fund,
        members=[
            MemberRow(r.seat, r.user, cq.eligibility_of(s, r.user.id))
            for r in cq.members(s, council.id)
        ],
        problems=problems,
        spec=spec,
        instrument=s.get(LegalInstrument, spec.instrument) if spec.instrument else None,
        stored_rules=cq.stored_rules(s, council.fund_id, council.kind) is not None,
        meetings=mq.meetings_of(s, council.id),
        manages=manages,
        can_change=can_change_members(council, fund, current_user),
        can_activate=can_activate(council, fund, current_user, problems),
        can_edit_rules=can_edit_council_rules(fund, current_user),
        can_schedule=running,
        needs_confidentiality=seat is not None
        and not has_accepted_confidentiality(seat, current_user),
        appoint=appoint,
        remove_form=ReasonForm(formdata=None),
        meeting_form=meeting_form,
        invite=invite or (InviteForm(formdata=None) if manages else None),
        has_terms=council.kind == CouncilKind.STANDING,
    )


@bp.get("/<int:council_id>")
@login_required
def council(council_id: int):
    """Members with their roles, eligibility and overrides; the composition's problems; the
    rules with their legal basis; the meetings."""
    return _council_page(_visible(council_id))


@bp.post("/<int:council_id>/members")
@requires(can_manage_councils)
def appoint(council_id: int):
    """Appoint a member; eligibility warnings need a reason (kept and audited)."""
    council = _managed(council_id)
    form = AppointForm()
    _appoint_choices(form, council)
    if form.validate_on_submit() and _run(
        lambda: svc.appoint_member(
            db.session(),
            actor=current_user,
            council_id=council.id,
            user_id=int(form.user_id.data),
            role=form.role.data,
            represents=form.represents.data,
            term_start=form.term_start.data,
            term_end=form.term_end.data,
            override_reason=form.override_reason.data or "",
        ),
        form=form,
        success=_("Member appointed."),
    ):
        return _back(council.id)
    return _council_page(council, appoint=form)


@bp.post("/<int:council_id>/members/<int:seat_id>/remove")
@requires(can_manage_councils)
def remove(council_id: int, seat_id: int):
    council = _managed(council_id)
    form = ReasonForm()
    if form.validate_on_submit():
        _run(
            lambda: svc.remove_member(
                db.session(), actor=current_user, seat_id=seat_id, reason=form.reason.data or ""
            ),
            success=_("Member removed."),
        )
    return _back(council.id)


@bp.post("/<int:council_id>/activate")
@requires(can_manage_councils)
def activate(council_id: int):
    council = _managed(council_id)
    if FlaskForm().validate_on_submit():
        _run(
            lambda: svc.activate_council(db.session(), actor=current_user, council_id=council.id),
            success=_("The council is active."),
        )
    return _back(council.id)


@bp.post("/<int:council_id>/invite")
@requires(can_manage_councils)
def invite(council_id: int):
    """Invite an expert to the reviewer pool; once they accept (confidentiality first, their
    own password), they can be appointed."""
    council = _managed(council_id)
    form = InviteForm()
    if form.validate_on_submit():

        def send():
            sent = invite_expert(
                db.session(), actor=current_user, email=form.email.data, name=form.name.data
            )
            queue_invitation(sent)
            return sent

        if _run(send, form=form):
            flash(_("Invitation sent to %(email)s.", email=form.email.data), "success")
            return _back(council.id)
    return _council_page(council, invite=form)


@bp.post("/<int:council_id>/confidentiality")
@login_required
def confidentiality(council_id: int):
    council = _visible(council_id)
    if FlaskForm().validate_on_submit() and request.form.get("accept") == "y":
        _run(
            lambda: svc.accept_council_confidentiality(
                db.session(), actor=current_user, council_id=council.id
            ),
            success=_("Thank you: the council's material is open to you."),
        )
    return _back(council.id)


@bp.post("/<int:council_id>/meetings")
@login_required
def schedule(council_id: int):
    """Schedule a meeting (the fund's managers or the council's secretary)."""
    council = _visible(council_id)
    form = MeetingForm()
    _meeting_choices(form)
    if form.validate_on_submit():
        done = edge.run(
            lambda: msvc.schedule_meeting(
                db.session(),
                actor=current_user,
                council_id=council.id,
                starts_at=form.starts_at.data,
                mode=form.mode.data,
                place=form.place.data or "",
                link=form.link.data or "",
            ),
            form=form,
            success=_("Meeting scheduled."),
        )
        if done:
            return redirect(url_for("councils.meetings.meeting", meeting_id=done.value.id))
    return _council_page(council, meeting_form=form)


def _rules_form(form: RulesForm) -> RulesForm:
    s = db.session()
    form.ballot.choices = choices(
        [("secret", _("Secret ballot")), ("open", _("Show of hands (open vote)"))]
    )
    form.instrument.choices = choices(
        [("", "—")]
        + [
            (i.code, f"{i.number} — {i.title_for(str(get_locale() or 'vi'))}")
            for i in s.exec(select(LegalInstrument).order_by(LegalInstrument.code)).all()
        ]
    )
    return form


def _rules_data(spec: CouncilRuleSpec) -> dict:
    return {
        "min_members": spec.min_members,
        "max_members": spec.max_members,
        "required_roles": format_roles(spec.required_roles),
        "quorum_num": spec.quorum.numerator,
        "quorum_den": spec.quorum.denominator,
        "quorum_needs_chair": spec.quorum_needs_chair,
        "quorum_needs_secretary": spec.quorum_needs_secretary,
        "pass_num": spec.pass_share.numerator,
        "pass_den": spec.pass_share.denominator,
        "pass_strict": spec.pass_strict,
        "ballot": spec.ballot,
        "min_average_pct": spec.min_average_pct,
        "criterion_minimums": spec.criterion_minimums,
        "sheets_after_close": spec.sheets_after_close,
        "term_years": spec.term_years,
        "max_consecutive_terms": spec.max_consecutive_terms,
        "instrument": spec.instrument or "",
        "article": spec.article,
    }


def _spec_of(form: RulesForm, kind: str) -> CouncilRuleSpec:
    """The form as the rules take it; fractions are checked by the service."""
    return CouncilRuleSpec(
        kind=kind,
        min_members=form.min_members.data,
        max_members=form.max_members.data,
        required_roles=parse_roles(form.required_roles.data or ""),
        quorum=Fraction(form.quorum_num.data, form.quorum_den.data),
        quorum_needs_chair=form.quorum_needs_chair.data,
        quorum_needs_secretary=form.quorum_needs_secretary.data,
        pass_share=Fraction(form.pass_num.data, form.pass_den.data),
        pass_strict=form.pass_strict.data,
        ballot=form.ballot.data,
        min_average_pct=form.min_average_pct.data,
        criterion_minimums=form.criterion_minimums.data,
        sheets_after_close=form.sheets_after_close.data,
        term_years=form.term_years.data,
        max_consecutive_terms=form.max_consecutive_terms.data,
        instrument=form.instrument.data or None,
        article=form.article.data or "",
    )


@bp.route("/funds/<int:fund_id>/rules/<kind>", methods=["GET", "POST"])
@requires(can_open_council_rules)
@reauth_required
def rules(fund_id: int, kind: str):
    """A fund's rules for one kind of council, with their legal basis (audited)."""
    s = db.session()
    fund = s.get(Fund, fund_id)
    if (
        fund is None
        or kind not in set(CouncilKind)
        or not can_edit_council_rules(fund, current_user)
    ):
        abort(404)
    spec = cq.rule_spec(s, fund.id, kind)
    form = _rules_form(
        RulesForm(data=_rules_data(spec)) if request.method == "GET" else RulesForm()
    )
    if form.validate_on_submit():
        try:
            spec_in = _spec_of(form, kind)
        except (ValueError, ZeroDivisionError):
            form.quorum_den.errors = [_("Check the shares.")]
        else:
            if _run(
                lambda: svc.update_council_rules(
                    s, actor=current_user, fund_id=fund.id, kind=kind, spec=spec_in
                ),
                form=form,
                success=_("Council rules saved."),
            ):
                return redirect(url_for("councils.rules", fund_id=fund.id, kind=kind))
    return render_template(
        "councils/rules.html",
        fund=fund,
        kind=kind,
        form=form,
        spec=spec,
        default=DEFAULTS[CouncilKind(kind)],
        stored=cq.stored_rules(s, fund.id, kind),
        instrument=s.get(LegalInstrument, spec.instrument) if spec.instrument else None,
        **criteria_section(fund, kind),
    )
