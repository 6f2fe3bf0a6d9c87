"""Administration: accounts, the audit log, the strategic technology list."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlmodel import func, select

from funds import audit as audit_log
from funds.accounts.models import User
from funds.accounts.permissions import can_manage_accounts, can_view_audit
from funds.accounts.services import create_user, password_setup_secret, set_active, set_roles
from funds.accounts.signin.services import live_sessions
from funds.audit.models import AuditEntry
from funds.taxonomy.models import StrategicTechnology
from funds.taxonomy.permissions import can_manage_areas
from funds.taxonomy.services import update_area
from funds.text import search
from portal import db, edge
from portal.admin.forms import AreaForm, RolesForm, UserForm
from portal.admin.labels import AUDIT_TEXTS
from portal.auth import mailer
from portal.mfa.reauth import reauth_required
from portal.security import requires

bp = Blueprint("admin", __name__, url_prefix="/admin")
PAGE = 50


@bp.get("/users")
@requires(can_manage_accounts)
def users():
    q = request.args.get("q", "")[:200]
    people = db.session().exec(select(User).order_by(User.email)).all()
    found = search(people, q, lambda u: (u.name, u.email, u.institution))
    return render_template("admin/users.html", users=found, q=q)


@bp.route("/users/new", methods=["GET", "POST"])
@requires(can_manage_accounts)
@reauth_required
def new_user():
    """Create a reviewer, manager or admin account."""
    form = UserForm()
    if form.validate_on_submit():
        done = edge.run(lambda: _create_user(form), form=form)
        if done:
            flash(
                _(
                    "Account created. %(email)s has been sent a link to choose a password.",
                    email=done.value.email,
                ),
                "success",
            )
            return redirect(url_for("admin.users"))
    return render_template("admin/user_form.html", form=form)


def _create_user(form: UserForm) -> User:
    user = create_user(
        db.session(),
        actor=current_user,
        email=form.email.data,
        name=form.name.data,
        password=None,
        roles=form.roles.data,
        institution=form.institution.data or "",
    )
    _mail_password_link(user)
    return user


def _mail_password_link(person: User) -> None:
    """A new set-password link, mailed once the transaction has committed."""
    secret = password_setup_secret(db.session(), user=person)
    mailer.queue(
        "set_password", person.email, person.locale, name=person.name, link=mailer.link(secret)
    )


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
@requires(can_manage_accounts)
@reauth_required
def user(user_id: int):
    """One account: roles, deactivation, sessions, a new set-password link."""
    person = db.session().get(User, user_id) or abort(404)
    form = RolesForm(data={"roles": sorted(person.roles)} if request.method == "GET" else None)
    if form.validate_on_submit() and edge.run(
        lambda: set_roles(db.session(), actor=current_user, user_id=user_id, roles=form.roles.data),
        form=form,
        success=_("Roles saved. They apply from the account's next request."),
    ):
        return redirect(url_for("admin.user", user_id=user_id))
    return render_template(
        "admin/user.html",
        person=person,
        form=form,
        sessions=live_sessions(db.session(), user_id=user_id),
    )


@bp.post("/users/<int:user_id>/active")
@requires(can_manage_accounts)
@reauth_required
def set_user_active(user_id: int):
    """Deactivate (every session ends at once) or reactivate an account."""
    active = request.form.get("active") == "1"
    edge.run(
        lambda: set_active(db.session(), actor=current_user, user_id=user_id, active=active),
        success=_("Account reactivated.")
        if active
        else _("Account deactivated; its sessions have ended."),
    )
    return redirect(url_for("admin.user", user_id=user_id))


@bp.post("/users/<int:user_id>/password-link")
@requires(can_manage_accounts)
@reauth_required
def send_password_link(user_id: int):
    """E-mail the owner a link to choose a new password (the administrator never sees it)."""
    person = db.session().get(User, user_id) or abort(404)
    with edge.transaction() as s:
        _mail_password_link(person)
        audit_log.record(
            s,
            actor_id=current_user.id,
            object_type="user",
            object_id=person.id,
            action="send_password_link",
        )
    flash(
        _("A link to choose a password has been sent to %(email)s.", email=person.email), "success"
    )
    return redirect(url_for("admin.user", user_id=user_id))


@bp.get("/audit")
@requires(can_view_audit)
def audit():
    """The audit log, newest first, filterable by object."""
    s = db.session()
    stmt = select(AuditEntry, User).join(User, User.id == AuditEntry.actor_id, isouter=True)
    object_type = request.args.get("object_type", "")
    if object_type:
        stmt = stmt.where(AuditEntry.object_type == object_type)
    page = max(request.args.get("page", 1, type=int), 1)
    total = s.exec(select(func.count()).select_from(stmt.subquery())).one()
    rows = s.exec(stmt.order_by(AuditEntry.id.desc()).offset((page - 1) * PAGE).limit(PAGE)).all()
    return render_template(
        "admin/audit.html",
        **AUDIT_TEXTS,
        rows=rows,
        page=page,
        object_type=object_type,
        has_next=page * PAGE < total,
    )


@bp.get("/areas")
@requires(can_manage_areas)
def areas():
    rows = db.session().exec(select(StrategicTechnology).order_by(StrategicTechnology.code)).all()
    return render_template("admin/areas.html", areas=rows)


@bp.route("/areas/<code>", methods=["GET", "POST"])
@requires(can_manage_areas)
def edit_area(code: str):
    """Edit a strategic technology group's names, source and whether it is offered."""
    area = db.session().get(StrategicTechnology, code) or abort(404)
    form = AreaForm(obj=area)
    if form.validate_on_submit() and edge.run(
        lambda: update_area(
            db.session(),
            actor=current_user,
            code=area.code,
            name_vi=form.name_vi.data,
            name_en=form.name_en.data,
            source=form.source.data or "",
            active=form.active.data,
            effective_from=form.effective_from.data,
            effective_to=form.effective_to.data,
        ),
        form=form,
        success=_("Saved."),
    ):
        return redirect(url_for("admin.areas"))
    return render_template("admin/area_form.html", form=form, area=area)
