"""The dead-letter list: tasks the queue gave up on, with their error, and their replay."""

from flask import Blueprint, abort, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from funds.clock import utcnow
from funds.outbox import queries, services
from funds.outbox.models import OutboxMessage
from funds.outbox.permissions import can_manage_outbox
from portal import db, edge
from portal.outbox.relay import later_relay
from portal.security import requires

bp = Blueprint("outbox", __name__, url_prefix="/admin/outbox")


@bp.get("")
@requires(can_manage_outbox)
def dead_letters():
    """The dead letters, newest first, and how many tasks are in each state."""
    s = db.session()
    return render_template(
        "outbox/dead_letters.html", rows=queries.dead_letters(s), counts=queries.counts(s)
    )


@bp.post("/<int:message_id>/replay")
@requires(can_manage_outbox)
def replay(message_id: int):
    """Send a dead task round again (audited); it is handed to the queue at once."""
    db.session().get(OutboxMessage, message_id) or abort(404)

    def call():
        services.replay(db.session(), message_id=message_id, actor=current_user, now=utcnow())
        later_relay(message_id)

    edge.run(call, success=_("The task was queued again."))
    return redirect(url_for("outbox.dead_letters"))
