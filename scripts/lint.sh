#!/usr/bin/env bash
# Static gates: ruff's rules and formatting over the whole tree, mypy on the domain (funds/ and
# reviews/). Settings and pinned versions are in pyproject.toml; scripts/test.sh runs this first.
source "$(dirname "$0")/_setup.sh"
setup_venv dev
echo ">> ruff check"
.venv/bin/ruff check .
echo ">> ruff format --check"
.venv/bin/ruff format --check .
echo ">> mypy (funds, reviews)"
.venv/bin/mypy
