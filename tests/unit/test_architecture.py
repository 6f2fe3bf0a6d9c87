"""Dependencies run one way: portal → reviews → funds."""

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
WEB = {"flask", "flask_wtf", "wtforms", "flask_login", "flask_babel", "werkzeug", "portal"}
APPLICATION = {"funds", "reviews", "portal"}


def imported_top_names(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(a.name.split(".")[0] for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize(
    "package, forbidden",
    [
        ("funds", WEB | {"reviews"}),
        ("reviews", WEB),
    ],
)
def test_domain_packages_do_not_import_the_web_layer(package, forbidden):
    offenders = {
        str(p.relative_to(ROOT)): sorted(imported_top_names(p) & forbidden)
        for p in (ROOT / package).rglob("*.py")
    }
    assert {k: v for k, v in offenders.items() if v} == {}


def test_revisions_import_no_application_code():
    """A revision runs as it was written: today's code (defaults, seeds, types) never leaks into
    an old schema change."""
    offenders = {
        p.name: sorted(imported_top_names(p) & APPLICATION)
        for p in (ROOT / "migrations" / "versions").glob("*.py")
    }
    assert {k: v for k, v in offenders.items() if v} == {}


def test_the_migration_environment_reaches_the_domain_only():
    assert imported_top_names(ROOT / "migrations" / "env.py") & WEB == set()


def test_benchmarks_do_not_import_the_tests():
    offenders = {
        str(p.relative_to(ROOT)): "tests"
        for p in (ROOT / "bench").rglob("*.py")
        if "tests" in imported_top_names(p)
    }
    assert offenders == {}


def feature_imports(domain: str) -> dict[str, set[str]]:
    """Package-level import graph of a domain: funds.calls → {funds.accounts, …} (imports
    inside functions count too; a top-level module such as funds/rules.py is its own node)."""
    graph: dict[str, set[str]] = {}
    for path in (ROOT / domain).rglob("*.py"):
        parts = path.relative_to(ROOT).with_suffix("").parts
        if len(parts) < 2 or parts[1] == "__init__":
            continue
        here = f"{domain}.{parts[1]}"
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module] + (
                    [f"{node.module}.{a.name}" for a in node.names] if node.module == domain else []
                )
            else:
                continue
            graph.setdefault(here, set()).update(
                package
                for package in (
                    ".".join(n.split(".")[:2]) for n in names if n.startswith(f"{domain}.")
                )
                if package != here
            )
    return graph


def edges_in_cycles(graph: dict[str, set[str]]) -> set[tuple[str, str]]:
    """Every edge a → b where b also reaches a."""

    def reach(start: str) -> set[str]:
        seen, todo = set(), [start]
        while todo:
            for nxt in graph.get(todo.pop(), ()):
                if nxt not in seen:
                    seen.add(nxt)
                    todo.append(nxt)
        return seen

    return {(a, b) for a, targets in graph.items() for b in targets if a in reach(b)}


# Cycles between feature packages found when this test was written (issue #12): each listed
# edge is one to break. Any other edge in a cycle fails the test, and so does a listed edge that
# no longer closes a cycle, so the list only shrinks.
@pytest.mark.parametrize("domain", ["funds", "reviews"])
def test_feature_packages_form_no_cycle(domain):
    assert edges_in_cycles(feature_imports(domain)) == set()


def test_the_cycle_finder_sees_a_cycle_and_no_false_one():
    assert edges_in_cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == {
        ("a", "b"),
        ("b", "c"),
        ("c", "a"),
    }
    assert edges_in_cycles({"a": {"b"}, "b": {"c"}}) == set()


def _state_values() -> set[str]:
    from portal.states import MACHINES

    return {str(state) for machine in MACHINES for state in machine.states}


JINJA_TAG = re.compile(r"\{[{%].*?[%}]\}", re.S)
COMPARES_STATUS = re.compile(r"status\s*(==|!=|\bin\b|\bnot\s+in\b)")
QUOTED = re.compile(r"""['"](\w+)['"]""")


def test_templates_never_compare_a_status():
    """Templates receive can_* booleans and show states through the machines' label filters:
    no `status ==`/`!=`/`in`, no state's value quoted beside a status, no list of states."""
    states, offenders = _state_values(), []
    for path in sorted((ROOT / "templates").rglob("*.html")):
        for tag in JINJA_TAG.findall(path.read_text(encoding="utf-8")):
            quoted = [q for q in QUOTED.findall(tag) if q in states]
            if COMPARES_STATUS.search(tag) or ("status" in tag and quoted) or len(quoted) > 1:
                offenders.append(f"{path.relative_to(ROOT)}: {tag}")
    assert offenders == []


def _calls(tree: ast.AST, name: str) -> list[ast.Call]:
    return [
        n
        for n in ast.walk(tree)
        if isinstance(n, ast.Call) and getattr(n.func, "id", getattr(n.func, "attr", None)) == name
    ]


def test_views_are_guarded_by_predicates_not_role_tuples():
    """`@requires(predicate)` names what a view allows; no role_required, no has_role(…) in
    the web layer or its templates (roles are the domain predicates' business)."""
    offenders = []
    for path in sorted((ROOT / "portal").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        where = str(path.relative_to(ROOT))
        offenders += [f"{where}:{c.lineno} role_required" for c in _calls(tree, "role_required")]
        offenders += [f"{where}:{c.lineno} has_role" for c in _calls(tree, "has_role")]
        offenders += [
            f"{where}:{c.lineno} requires() without one predicate"
            for c in _calls(tree, "requires")
            if len(c.args) != 1 or not isinstance(c.args[0], ast.Name)
        ]
    offenders += [
        str(p.relative_to(ROOT))
        for p in (ROOT / "templates").rglob("*.html")
        if "has_role(" in p.read_text(encoding="utf-8")
    ]
    assert offenders == []


# The request edge commits; the session's owner and deliberate side transactions (the
# sign-in bookkeeping in sessions.load, the refused-access log in errors._log_refusal, a job's
# claim and progress in portal.jobs.worker, whose work itself goes through the edge) too.
COMMITTERS = {
    "portal/edge.py",
    "portal/db.py",
    "portal/auth/sessions.py",
    "portal/errors.py",
    "portal/jobs/worker.py",
}


def test_only_the_request_edge_commits():
    """No view, command or helper under portal/ commits or rolls back by hand: each hands its
    service call to portal.edge (run or transaction)."""
    offenders = []
    for path in sorted((ROOT / "portal").rglob("*.py")):
        where = path.relative_to(ROOT).as_posix()
        if where in COMMITTERS:
            continue
        offenders += [
            f"{where}:{n.lineno} .{n.func.attr}()"
            for n in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
            if isinstance(n, ast.Call)
            and isinstance(n.func, ast.Attribute)
            and n.func.attr in ("commit", "rollback")
        ]
    assert offenders == []
