"""One call-settings specification feeds the model, the form and the rules."""

from dataclasses import fields

import pytest
from wtforms.validators import NumberRange

from funds.calls.models import Call, loaded_setting, stored_setting
from funds.calls.rules import CALL_SETTINGS, CallRules, setting_violations
from portal.calls.forms import CallForm

RULE_DEFAULTS = {f.name: f.default for f in fields(CallRules)}


def server_default(name: str) -> str:
    """The column's server default as SQL text (what calls made before the column got)."""
    arg = Call.__table__.c[name].server_default.arg
    return str(arg.compile()) if hasattr(arg, "compile") else arg


@pytest.mark.parametrize("setting", CALL_SETTINGS, ids=lambda s: s.name)
def test_the_model_the_form_and_the_rules_agree_on_every_setting(setting):
    column = Call.__table__.c[setting.name]
    assert loaded_setting(setting, column.default.arg) == setting.default
    stored = stored_setting(setting, setting.default)
    expected = str(stored).lower() if isinstance(stored, bool) else str(stored)
    assert server_default(setting.name) == expected
    assert RULE_DEFAULTS[setting.name] == setting.default
    unbound = getattr(CallForm, setting.name)
    assert unbound.args[0]._args[0] == setting.label  # lazy msgid
    default = unbound.kwargs["default"]
    assert (frozenset(default) if isinstance(default, list) else default) == setting.default
    ranges = [v for v in unbound.kwargs.get("validators", []) if isinstance(v, NumberRange)]
    assert [(r.min, r.max) for r in ranges] == (
        [(setting.minimum, setting.maximum)] if setting.minimum is not None else []
    )


def test_a_call_made_with_no_settings_gets_the_specified_defaults():
    assert Call(fund_id=1, title="t").rule_settings() == {s.name: s.default for s in CALL_SETTINGS}


@pytest.mark.parametrize(
    "values, fields_",
    [
        ({"indirect_cap_pct": 10, "max_duration_months": 36}, []),
        ({"indirect_cap_pct": 101}, ["indirect_cap_pct"]),
        (
            {"max_duration_months": 0, "abstract_max_chars": 20001},
            ["max_duration_months", "abstract_max_chars"],
        ),
        ({"pdf_only": False, "required_attachments": ["description"]}, []),
    ],
)
def test_settings_outside_their_specified_range_are_refused(values, fields_):
    assert [v.field for v in setting_violations(values)] == fields_
