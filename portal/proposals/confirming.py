"""A confirm step before an act that cannot be taken back (submit, withdraw, remove).

The button posts without `confirm`: the server answers with a confirmation page whose form
posts again with confirm=yes. With JavaScript, a dialog asks first and adds the field, so
the page is skipped; without it, the page is the confirmation. Nothing is done unconfirmed.
"""

from flask import render_template, request


def confirmed() -> bool:
    return request.form.get("confirm") == "yes"


def ask(*, heading: str, question: str, button: str, back: str, keep=(), facts=()):
    """The confirmation page for the request's own URL; `keep` names posted fields to send
    again (the version a submission is based on), `facts` are (label, value) pairs."""
    return render_template(
        "proposals/confirm.html",
        heading=heading,
        question=question,
        button=button,
        back=back,
        action=request.path,
        kept=[(name, request.form.get(name, "")) for name in keep],
        facts=list(facts),
    )
