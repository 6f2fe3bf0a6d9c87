"""JSON API v1: machine-readable compliance reports, for fund managers only."""

from flask import Blueprint, jsonify
from flask_login import current_user

from funds.compliance import report
from funds.compliance.permissions import can_view_compliance
from portal import db

bp = Blueprint("api", __name__, url_prefix="/api/v1")


@bp.get("/compliance/<int:year>")
def compliance(year: int):
    """{"fiscal_year": Y, "rules": [...]}: the same figures as `flask compliance`."""
    if not (current_user.is_authenticated and can_view_compliance(current_user)):
        return jsonify(error="forbidden", message="Fund managers only."), 403
    return jsonify(report.year_report(db.read_session(), year))
