"""Dependencies run one way: portal → reviews → funds."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
WEB = {"flask", "flask_wtf", "wtforms", "flask_login", "flask_babel", "portal"}


def imported_top_names(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(a.name.split(".")[0] for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("package, forbidden", [
    ("funds", WEB | {"reviews"}),
    ("reviews", WEB),
])
def test_domain_packages_do_not_import_the_web_layer(package, forbidden):
    offenders = {str(p.relative_to(ROOT)): sorted(imported_top_names(p) & forbidden)
                 for p in (ROOT / package).rglob("*.py")}
    assert {k: v for k, v in offenders.items() if v} == {}
