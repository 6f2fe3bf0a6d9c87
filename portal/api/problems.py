"""Errors of the API as problem details (RFC 9457, application/problem+json): type, title,
status, detail, and the invalid parameters of a 400."""

from flask import Response, json

PROBLEM_TYPE = "urn:rdfund:problem:"
MIMETYPE = "application/problem+json"


def problem(
    status: int,
    title: str,
    detail: str = "",
    *,
    kind: str = "",
    invalid_params: list[dict] | None = None,
    headers: dict | None = None,
) -> Response:
    """A problem response; `kind` names the problem type (about:blank when none)."""
    body: dict = {
        "type": PROBLEM_TYPE + kind if kind else "about:blank",
        "title": title,
        "status": status,
        "detail": detail or title,
    }
    if invalid_params:
        body["invalid_params"] = invalid_params
    response = Response(json.dumps(body), status=status, mimetype=MIMETYPE)
    response.headers["Cache-Control"] = "no-store"
    for key, value in (headers or {}).items():
        response.headers[key] = value
    return response


def bad_parameter(name: str, reason: str) -> Response:
    return problem(
        400,
        "Bad parameter",
        f"The parameter {name!r} is not valid: {reason}",
        kind="invalid-parameter",
        invalid_params=[{"name": name, "reason": reason}],
    )


def not_found(detail: str = "No such resource.") -> Response:
    return problem(404, "Not found", detail, kind="not-found")
