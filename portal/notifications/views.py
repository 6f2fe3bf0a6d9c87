"""The inbox (mark read, open the object), e-mail preferences, and the administrators' list
of failed deliveries."""

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from funds.errors import NotFound
from funds.notifications import queries, rules
from funds.notifications import services as svc
from funds.notifications.permissions import can_view_delivery_failures
from portal import db, edge
from portal.notifications.delivery import link_for, shown_params
from portal.security import requires

bp = Blueprint("notifications", __name__, url_prefix="/notifications")


def inbox_label() -> str:
    """The navigation's entry, with the unread count when there is one."""
    from flask_login import current_user

    count = queries.unread_count(db.session(), current_user.id)
    return _("Inbox (%(count)s)", count=count) if count else _("Inbox")


@bp.get("/")
@login_required
def inbox():
    """The person's notifications, newest first; unread ones marked."""
    rows = [
        {
            "n": n,
            "subject": _(rules.KINDS[n.kind].subject, **shown_params(n)),
            "text": _(rules.KINDS[n.kind].body, **shown_params(n)),
            "unread": n.read_at is None,
        }
        for n in queries.inbox(db.session(), current_user.id)
    ]
    return render_template("notifications/inbox.html", rows=rows)


@bp.post("/<int:notification_id>/open")
@login_required
def open_(notification_id: int):
    """Mark read and go to the object it is about (the inbox when there is none)."""
    done = edge.run(
        lambda: svc.mark_read(db.session(), actor=current_user, notification_id=notification_id),
        show=False,
    )
    if not done:
        abort(404)
    return redirect(link_for(done.value) or url_for(".inbox"))


@bp.post("/<int:notification_id>/read")
@login_required
def read(notification_id: int):
    """Mark one notification read."""
    done = edge.run(
        lambda: svc.mark_read(db.session(), actor=current_user, notification_id=notification_id),
        show=False,
    )
    if not done and isinstance(done.error, NotFound):
        abort(404)
    return redirect(url_for(".inbox"))


@bp.post("/read-all")
@login_required
def read_all():
    """Mark every notification read."""
    edge.run(lambda: svc.mark_all_read(db.session(), actor=current_user))
    return redirect(url_for(".inbox"))


@bp.route("/preferences", methods=["GET", "POST"])
@login_required
def preferences():
    """Which optional e-mails the person receives; the required ones are listed, fixed."""
    if request.method == "POST":
        choices = {kind: request.form.get(kind) == "y" for kind in rules.OPTIONAL}
        done = edge.run(
            lambda: svc.set_email_preferences(db.session(), actor=current_user, choices=choices),
            success=_("Your e-mail choices are saved."),
        )
        if done:
            return redirect(url_for(".preferences"))
    chosen = queries.email_choices(db.session(), current_user.id)
    kinds = [
        {
            "kind": kind,
            "label": _(rules.LABELS[kind]),
            "required": spec.required,
            "on": rules.wants_email(kind, chosen),
        }
        for kind, spec in rules.KINDS.items()
    ]
    return render_template("notifications/preferences.html", kinds=kinds)


@bp.get("/failures")
@requires(can_view_delivery_failures)
def failures():
    """E-mails that could not be delivered, with the error (administrators)."""
    rows = [(r, _(rules.LABELS[r.kind])) for r in queries.failed_deliveries(db.session())]
    return render_template("notifications/failures.html", rows=rows)
