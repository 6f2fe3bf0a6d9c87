"""Meeting pages: the secretary's desk (agenda, attendance check-boxes, the quorum of each
item recomputed on every change, conflicts, start / voting / close buttons shown only when
allowed) and each item's material for the members."""

from dataclasses import dataclass

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from flask_wtf import FlaskForm

from funds.accounts.models import User
from funds.errors import NotAllowed, NotFound
from portal import db
from portal.councils.display import run
from portal.councils.forms import ConflictForm, ItemForm
from portal.forms import choices
from portal.proposals.receipts import pdf_bytes
from portal.tasks import data_dir
from reviews.councils import queries as cq
from reviews.councils.ballots.services import prepare_ballot
from reviews.councils.decisions.permissions import can_decide_selection
from reviews.councils.meetings import permissions as mp
from reviews.councils.meetings import queries as mq
from reviews.councils.meetings import services as msvc
from reviews.councils.meetings.models import MeetingItem, MeetingStatus
from reviews.councils.rules import Quorum

bp = Blueprint("meetings", __name__, url_prefix="")


def _meeting(meeting_id: int) -> mq.MeetingAccess:
    try:
        return mq.meeting_access(db.session(), actor=current_user, meeting_id=meeting_id)
    except NotFound:
        abort(404)


def _item(item_id: int) -> mq.ItemAccess:
    try:
        return mq.item_access(db.session(), actor=current_user, item_id=item_id)
    except NotFound:
        abort(404)


def _to_meeting(meeting_id: int):
    return redirect(url_for("councils.meetings.meeting", meeting_id=meeting_id))


@dataclass(frozen=True)
class ConflictRow:
    name: str
    source: str  # automatic | declared
    reason: str


@dataclass(frozen=True)
class ItemRow:
    item: MeetingItem
    title: str
    quorum: Quorum
    conflicts: list[ConflictRow]
    can_start: bool
    can_vote: bool
    can_remove: bool
    can_record_conflict: bool


def _conflicts(item: MeetingItem, names: dict[int, str]) -> list[ConflictRow]:
    return [
        ConflictRow(names.get(c.seat_id, "?"), c.source, c.reason)
        for c in mq.conflicts_of(db.session(), item.id)
    ]


def _rows(found: mq.MeetingAccess, running: bool, names: dict[int, str]) -> list[ItemRow]:
    s = db.session()
    busy = mq.item_under_way(s, found.meeting.id) is not None
    rows = []
    for item in mq.agenda(s, found.meeting.id):
        q = mq.item_quorum(s, item)
        rows.append(
            ItemRow(
                item,
                mq.item_title(s, item),
                q,
                _conflicts(item, names),
                mp.can_start_item(item, found.meeting, running, q, busy),
                mp.can_open_voting(item, found.meeting, running, q),
                mp.can_remove_item(item, found.meeting, running),
                running and mp.conflicts_still_open(item),
            )
        )
    return rows


def _item_form(found: mq.MeetingAccess, form: ItemForm | None = None) -> ItemForm:
    form = form or ItemForm(formdata=None)
    form.subject.choices = choices(
        (f"{c.proposal_id or ''}:{c.award_id or ''}", c.title)
        for c in mq.agenda_candidates(db.session(), found.council, found.meeting.id)
    )
    return form


def _conflict_form(names: dict[int, str], form: ConflictForm | None = None) -> ConflictForm:
    form = form or ConflictForm(formdata=None)
    form.seat_id.choices = choices(sorted(names.items(), key=lambda kv: kv[1]))
    return form


def _page(found: mq.MeetingAccess, *, item_form=None, conflict_form=None):
    s = db.session()
    meeting = found.meeting
    running = mp.can_run_meeting(found.manages, found.seat, current_user)
    members = cq.members(s, found.council.id)
    names = {r.seat.id: r.user.name for r in members}
    busy = mq.item_under_way(s, meeting.id) is not None
    return render_template(
        "councils/meeting.html",
        meeting=meeting,
        council=found.council,
        members=members,
        attendance=mq.attendance_of(s, meeting.id),
        quorum=mq.meeting_quorum(s, meeting),
        items=_rows(found, running, names),
        running=running,
        can_attend=mp.can_take_attendance(meeting, running),
        can_add=mp.can_change_agenda(meeting, running),
        can_open=mp.can_open_meeting(meeting, found.council, running),
        can_close=mp.can_close_meeting(meeting, running, busy),
        can_cancel=mp.can_cancel_meeting(meeting, running),
        busy=busy,
        item_form=_item_form(found, item_form) if running else None,
        conflict_form=_conflict_form(names, conflict_form) if running else None,
        action_form=FlaskForm(formdata=None),
        closed=meeting.status == MeetingStatus.CLOSED,
        # the link to the fund's decision: for who may make it (a secretary would get a 403)
        decides_selection=can_decide_selection(found.council, current_user, manages=found.manages),
    )


@bp.get("/meetings/<int:meeting_id>")
@login_required
def meeting(meeting_id: int):
    """The secretary's page: agenda, attendance, the live quorum of each item, conflicts."""
    return _page(_meeting(meeting_id))


@bp.post("/meetings/<int:meeting_id>/attendance")
@login_required
def attendance(meeting_id: int):
    """Save the attendance check-boxes; every item's quorum follows."""
    found = _meeting(meeting_id)
    if FlaskForm().validate_on_submit():
        seats = [r.seat for r in cq.members(db.session(), found.council.id)]

        def record():
            for seat in seats:
                how = request.form.get(f"how_{seat.id}", "in_person")
                msvc.record_attendance(
                    db.session(),
                    actor=current_user,
                    meeting_id=found.meeting.id,
                    seat_id=seat.id,
                    present=request.form.get(f"present_{seat.id}") == "y",
                    how=how if how in ("in_person", "online") else "in_person",
                )

        run(record, success=_("Attendance saved."))
    return _to_meeting(found.meeting.id)


@bp.post("/meetings/<int:meeting_id>/items")
@login_required
def add_item(meeting_id: int):
    found = _meeting(meeting_id)
    form = _item_form(found, ItemForm())
    if form.validate_on_submit():
        proposal, _sep, award = form.subject.data.partition(":")
        if run(
            lambda: msvc.add_item(
                db.session(),
                actor=current_user,
                meeting_id=found.meeting.id,
                proposal_id=int(proposal) if proposal.isdigit() else None,
                award_id=int(award) if award.isdigit() else None,
            ),
            form=form,
            success=_("Added to the agenda."),
        ):
            return _to_meeting(found.meeting.id)
    return _page(found, item_form=form)


_STEPS = {
    "open": (msvc.open_meeting, _l("The meeting is in session.")),
    "close": (msvc.close_meeting, _l("The meeting is closed.")),
    "cancel": (msvc.cancel_meeting, _l("The meeting is cancelled.")),
}


@bp.post("/meetings/<int:meeting_id>/<any(open, close, cancel):step>")
@login_required
def meeting_step(meeting_id: int, step: str):
    """Open, close or cancel the meeting."""
    found = _meeting(meeting_id)
    service, done = _STEPS[step]
    if FlaskForm().validate_on_submit():
        run(
            lambda: service(db.session(), actor=current_user, meeting_id=found.meeting.id),
            success=str(done),
        )
    return _to_meeting(found.meeting.id)


_ITEM_STEPS = {
    "start": (msvc.start_item, _l("The council takes up the item.")),
    "voting": (msvc.open_voting, _l("The vote is open.")),
    "remove": (msvc.remove_item, _l("Taken off the agenda.")),
}


def _step(service, step: str, item_id: int):
    """One step of an item; opening the vote also lays out its ballot (every choice's tally
    at 0, so the first ballot cast changes only counts)."""
    result = service(db.session(), actor=current_user, item_id=item_id)
    if step == "voting":
        prepare_ballot(db.session(), item_id=item_id)
    return result


@bp.post("/items/<int:item_id>/<any(start, voting, remove):step>")
@login_required
def item_step(item_id: int, step: str):
    """Start an item (its quorum present), open its vote, or take it off the agenda."""
    found = _item(item_id)
    service, done = _ITEM_STEPS[step]
    if FlaskForm().validate_on_submit():
        run(
            lambda: _step(service, step, found.item.id),
            success=str(done),
        )
    return _to_meeting(found.meeting.id)


@bp.post("/items/<int:item_id>/conflicts")
@login_required
def conflict(item_id: int):
    """A member declares their conflict on the item; the secretary records one for a member."""
    found = _item(item_id)
    names = {r.seat.id: r.user.name for r in cq.members(db.session(), found.council.id)}
    form = _conflict_form(names, ConflictForm())
    if form.validate_on_submit():
        run(
            lambda: msvc.declare_item_conflict(
                db.session(),
                actor=current_user,
                item_id=found.item.id,
                reason=form.reason.data,
                seat_id=int(form.seat_id.data) if (form.seat_id.data or "").isdigit() else None,
            ),
            form=form,
            success=_("The conflict is recorded: the member leaves this item."),
        )
    if request.form.get("back") == "item":
        return redirect(url_for("councils.meetings.item", item_id=found.item.id))
    return _to_meeting(found.meeting.id)


@bp.get("/items/<int:item_id>")
@login_required
def item(item_id: int):
    """The item's material: the proposal (or the project and its final report), the external
    reviews without their reviewers, the applicant's response if any; conflicts on it."""
    s = db.session()
    found = _item(item_id)
    try:
        material, withheld = mq.item_material(s, actor=current_user, item_id=found.item.id), None
        files = mq.item_attachments(s, actor=current_user, item_id=found.item.id)
    except NotAllowed as exc:
        material, withheld, files = None, exc, []
    names = {r.seat.id: r.user.name for r in cq.members(s, found.council.id)}
    return render_template(
        "councils/item.html",
        found=found,
        title=mq.item_title(s, found.item),
        material=material,
        withheld=withheld,
        files=files,
        pi=s.get(User, material.proposal.pi_id) if material else None,
        conflicts=_conflicts(found.item, names),
        quorum=mq.item_quorum(s, found.item),
        can_declare=mp.can_declare_conflict(found.item, found.seat, current_user),
        conflict_form=ConflictForm(formdata=None),
        needs_confidentiality=found.seat is not None
        and found.seat.confidentiality_accepted_at is None,
    )


@bp.get("/items/<int:item_id>/proposal.pdf")
@login_required
def proposal_pdf(item_id: int):
    """The whole proposal as submitted, for those who may read the item's material."""
    try:
        submission = mq.item_submission(db.session(), actor=current_user, item_id=item_id)
    except NotFound:
        abort(404)
    except NotAllowed:  # confidentiality first; a conflicted member leaves the item
        abort(403)
    if submission is None:
        abort(404)
    return Response(
        pdf_bytes(current_app, submission),
        mimetype="application/pdf",
        headers={"Content-Disposition": f'inline; filename="{submission.receipt_no}.pdf"'},
    )


@bp.get("/items/<int:item_id>/files/<int:attachment_id>")
@login_required
def attachment(item_id: int, attachment_id: int):
    """One of the proposal's files, for those who may read the item's material."""
    try:
        found = mq.item_attachment(
            db.session(), actor=current_user, item_id=item_id, attachment_id=attachment_id
        )
    except NotFound:
        abort(404)
    except NotAllowed:
        abort(403)
    return send_file(
        data_dir(current_app) / "files" / found.stored_name,
        mimetype=found.content_type,
        as_attachment=True,
        download_name=found.original_name,
    )
