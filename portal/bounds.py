"""Whole numbers from URLs, query strings and forms, kept within the database's INTEGER.

PostgreSQL raises on `WHERE id = 99999999999999999999` (beyond int4/bigint), which would
answer 500; an id or page number outside the range is treated as absent instead: 404 for a
path, the default for a query argument.
"""

import builtins
import re

from flask import Flask, Request
from werkzeug.datastructures import ImmutableMultiDict
from werkzeug.routing import IntegerConverter, ValidationError

INT_MAX = 2**31 - 1  # SQL INTEGER, the type of every id column
_DIGITS = re.compile(r"[+-]?[0-9]{1,10}")


def bounded_int(text) -> int:
    """ASCII digits with an optional sign, within ±INT_MAX; else ValueError."""
    if isinstance(text, int) and not isinstance(text, bool):
        text = str(text)
    if not isinstance(text, str) or not _DIGITS.fullmatch(text.strip()):
        raise ValueError("not a whole number in range")
    value = int(text)
    if abs(value) > INT_MAX:
        raise ValueError("not a whole number in range")
    return value


class BoundedIntConverter(IntegerConverter):
    """`<int:…>` in every route: at most INT_MAX, so a huge id is a 404, not a 500."""

    def __init__(self, map, fixed_digits=0, min=None, max=None, signed=False):
        cap = INT_MAX if max is None else builtins.min(max, INT_MAX)
        super().__init__(map, fixed_digits, min, cap, signed)

    def to_python(self, value: str):
        if len(value) > 11:  # also spares int() from parsing thousands of digits
            raise ValidationError()
        return super().to_python(value)


class BoundedArgs(ImmutableMultiDict):
    """`request.args.get("page", 1, type=int)` gives the default for an absurd value."""

    def get(self, key, default=None, type=None):
        return super().get(key, default, bounded_int if type is int else type)

    def getlist(self, key, type=None):
        return super().getlist(key, bounded_int if type is int else type)


class BoundedRequest(Request):
    parameter_storage_class = BoundedArgs


def init_app(app: Flask) -> None:
    """Before any blueprint is registered, so every route's `int` is the bounded one."""
    app.url_map.converters["int"] = BoundedIntConverter
    app.request_class = BoundedRequest
