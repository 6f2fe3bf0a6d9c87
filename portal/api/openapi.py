"""The OpenAPI 3.1 description of /api/v1, written beside the endpoints it describes
(portal/api/views.py); tests/functional/test_open_data_api.py checks every response of every
endpoint against it (schemathesis)."""

from funds.projects.services import OUTPUT_KINDS

INT32 = 2**31 - 1
NULLABLE_STRING = {"type": ["string", "null"]}


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _param(name: str, schema: dict, description: str, where: str = "query") -> dict:
    return {
        "name": name,
        "in": where,
        "required": where == "path",
        "schema": schema,
        "description": description,
    }


CODE = {"type": "string", "pattern": "^[A-Za-z0-9._-]{1,40}$"}
PAGING = [
    _param("page", {"type": "integer", "minimum": 1, "maximum": 10**6}, "Page number (1-based)"),
    _param("per_page", {"type": "integer", "minimum": 1, "maximum": 100}, "Rows a page (20)"),
]
FUND = _param("fund", CODE, "A fund's code")
YEAR = _param("year", {"type": "integer", "minimum": 1900, "maximum": 2200}, "A year")
AREA = _param("area", CODE, "A strategic technology area's code")
HOST = _param("host", {"type": "integer", "minimum": 1, "maximum": INT32}, "A host's id")
PROJECT_STATUS = _param(
    "status", {"type": "string", "enum": ["active", "stopped", "closed"]}, "Project status"
)
CALL_STATUS = _param("status", {"type": "string", "enum": ["open", "closed"]}, "Call phase")
Q = _param("q", {"type": "string", "maxLength": 200}, "Words, accents ignored")
KIND = _param(
    "kind",
    {
        "type": "string",
        "enum": list(OUTPUT_KINDS),
    },
    "Kind of result",
)
PROJECT_FILTERS = [YEAR, FUND, AREA, HOST, PROJECT_STATUS, Q]
OUTPUT_FILTERS = [YEAR, FUND, AREA, HOST, PROJECT_STATUS, KIND]
CALL_FILTERS = [YEAR, FUND, AREA, CALL_STATUS]

PROBLEM = {"application/problem+json": {"schema": _ref("Problem")}}
ERRORS = {
    "400": {"description": "A parameter is not valid", "content": PROBLEM},
    "401": {"description": "The bearer token is not valid", "content": PROBLEM},
    "429": {
        "description": "Too many requests (see Retry-After)",
        "headers": {"Retry-After": {"schema": {"type": "integer"}}},
        "content": PROBLEM,
    },
}
NOT_FOUND = {"404": {"description": "No such resource", "content": PROBLEM}}


def _json(schema: dict, description: str = "OK") -> dict:
    return {
        "description": description,
        "headers": {"ETag": {"schema": {"type": "string"}}},
        "content": {"application/json": {"schema": schema}},
    }


def _csv(description: str) -> dict:
    return {
        "description": description,
        "content": {"text/csv": {"schema": {"type": "string"}}},
    }


def _list(item: str) -> dict:
    link = {"type": ["string", "null"]}
    return {
        "type": "object",
        "required": ["data", "meta", "links"],
        "properties": {
            "data": {"type": "array", "items": _ref(item)},
            "meta": {
                "type": "object",
                "required": ["total", "page", "per_page"],
                "properties": {k: {"type": "integer"} for k in ("total", "page", "per_page")},
            },
            "links": {
                "type": "object",
                "required": ["self", "first", "last", "prev", "next"],
                "properties": dict.fromkeys(("self", "first", "last", "prev", "next"), link),
            },
        },
    }


def _get(summary: str, params: list, responses: dict, *, secured: bool = False) -> dict:
    op: dict = {"summary": summary, "parameters": params, "responses": {**responses, **ERRORS}}
    if secured:
        op["security"] = [{}, {"bearer": []}]
    return {"get": op}


def _obj(required: list[str], properties: dict, *, extra: bool = False) -> dict:
    return {
        "type": "object",
        "required": required,
        "properties": properties,
        "additionalProperties": extra,
    }


NAMED = _obj(["code", "name"], {"code": {"type": "string"}, "name": {"type": "string"}})
AREA_SCHEMA = {
    "type": ["object", "null"],
    "required": ["code", "name_vi", "name_en"],
    "properties": {k: {"type": "string"} for k in ("code", "name_vi", "name_en")},
    "additionalProperties": False,
}
HOST_SCHEMA = {
    "type": ["object", "null"],
    "required": ["id", "name_vi", "name_en"],
    "properties": {
        "id": {"type": "integer"},
        "name_vi": {"type": "string"},
        "name_en": NULLABLE_STRING,
    },
    "additionalProperties": False,
}
DATE = {"type": "string", "format": "date"}
INSTANT = {"type": "string", "format": "date-time"}

PROJECT_PROPERTIES = {
    "id": {"type": "string", "description": "Stable public identifier: FUND-YEAR-NNNNN"},
    "title": {"type": "string"},
    "title_en": NULLABLE_STRING,
    "fund": NAMED,
    "call": _obj(["id", "title"], {"id": {"type": "integer"}, "title": {"type": "string"}}),
    "year": {"type": "integer"},
    "area": AREA_SCHEMA,
    "host": HOST_SCHEMA,
    "start_date": DATE,
    "end_date": DATE,
    "status": {"type": "string", "enum": ["active", "stopped", "closed"]},
    # optional: present when the fund publishes them (docs/public.md)
    "pi_name": {"type": "string"},
    "amount_vnd": {"type": "integer", "description": "State funding committed, in đồng"},
    "abstract": {"type": "string"},
    "rating": {"type": ["string", "null"], "enum": ["excellent", "pass", "fail", None]},
    "output_counts": {"type": "object", "additionalProperties": {"type": "integer"}},
}
PROJECT_REQUIRED = [
    "id", "title", "title_en", "fund", "call", "year", "area", "host", "start_date",
    "end_date", "status",
]  # fmt: skip
OUTPUT = _obj(
    ["id", "project_id", "kind", "title", "year", "international", "reference"],
    {
        "id": {"type": "integer"},
        "project_id": {"type": "string"},
        "kind": KIND["schema"],
        "title": {"type": "string"},
        "year": {"type": "integer"},
        "international": {"type": "boolean"},
        "reference": NULLABLE_STRING,
        "value_vnd": {"type": ["integer", "null"], "description": "When the fund publishes it"},
    },
)
CALL = _obj(
    [
        "id",
        "title",
        "fund",
        "description",
        "phase",
        "opens_at",
        "closes_at",
        "ceiling_vnd",
        "budget_vnd",
        "areas",
        "rules",
        "documents",
        "funded_projects",
        "first_project_start",
    ],
    {
        "id": {"type": "integer"},
        "title": {"type": "string"},
        "fund": NAMED,
        "description": {"type": "string"},
        "phase": {"type": "string", "enum": ["open", "closed"]},
        "opens_at": INSTANT,
        "closes_at": INSTANT,
        "ceiling_vnd": {"type": "integer"},
        "budget_vnd": {"type": "integer"},
        "areas": {"type": "array", "items": {"type": "string"}},
        "rules": {"type": "object", "additionalProperties": {"type": ["integer", "boolean"]}},
        "documents": {"type": "array", "items": {"type": "string"}},
        "funded_projects": {"type": "integer"},
        "first_project_start": {"type": ["string", "null"], "format": "date"},
    },
)
INDICATOR = _obj(
    [
        "year",
        "id",
        "unit",
        "numerator",
        "denominator",
        "value",
        "target",
        "legal_basis",
        "provisional",
        "definition",
    ],
    {
        "year": {"type": "integer"},
        "id": {"type": "string"},
        "unit": {"type": "string"},
        "numerator": {"type": ["integer", "null"]},
        "denominator": {"type": ["integer", "null"]},
        "value": {"type": ["number", "null"]},
        "target": NULLABLE_STRING,
        "legal_basis": {"type": "string"},
        "provisional": {"type": "boolean"},
        "definition": {"type": "string"},
    },
)
STATISTICS = _obj(
    ["fund", "calls", "projects", "projects_by_status", "committed_state_vnd", "outputs_by_kind"],
    {
        "fund": {**NAMED, "type": ["object", "null"]},
        "calls": {"type": "integer"},
        "projects": {"type": "integer"},
        "projects_by_status": {"type": "object", "additionalProperties": {"type": "integer"}},
        "committed_state_vnd": {"type": "integer"},
        "outputs_by_kind": {"type": "object", "additionalProperties": {"type": "integer"}},
    },
)
PROBLEM_SCHEMA = {
    "type": "object",
    "required": ["type", "title", "status", "detail"],
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "invalid_params": {
            "type": "array",
            "items": _obj(
                ["name", "reason"], {"name": {"type": "string"}, "reason": {"type": "string"}}
            ),
        },
    },
}


def paths() -> dict:
    project_id = _param("project_id", {"type": "string", "maxLength": 80}, "", "path")
    call_id = _param("call_id", {"type": "integer", "minimum": 1, "maximum": INT32}, "", "path")
    year = _param("year", {"type": "integer", "minimum": 1900, "maximum": 2200}, "", "path")
    indicators = _obj(
        ["year", "fund", "data"],
        {
            "year": {"type": "integer"},
            "fund": NULLABLE_STRING,
            "data": {"type": "array", "items": _ref("Indicator")},
        },
    )
    return {
        "/calls": _get(
            "Open and past calls", [*CALL_FILTERS, *PAGING], {"200": _json(_list("Call"))}
        ),
        "/calls/{call_id}": _get("One call", [call_id], {"200": _json(_ref("Call")), **NOT_FOUND}),
        "/calls.csv": _get("Every matching call", CALL_FILTERS, {"200": _csv("CSV")}),
        "/projects": _get(
            "Funded projects",
            [*PROJECT_FILTERS, *PAGING],
            {"200": _json(_list("Project"))},
            secured=True,
        ),
        "/projects/{project_id}": _get(
            "One funded project with its results",
            [project_id],
            {"200": _json(_ref("ProjectWithOutputs")), **NOT_FOUND},
            secured=True,
        ),
        "/projects.csv": _get("Every matching project", PROJECT_FILTERS, {"200": _csv("CSV")}),
        "/outputs": _get(
            "Results of funded projects",
            [*OUTPUT_FILTERS, *PAGING],
            {"200": _json(_list("Output"))},
            secured=True,
        ),
        "/outputs.csv": _get("Every matching result", OUTPUT_FILTERS, {"200": _csv("CSV")}),
        "/indicators": _get(
            "Resolution 57 indicators of a year",
            [YEAR, FUND],
            {"200": _json(indicators), **NOT_FOUND},
        ),
        "/statistics": _get(
            "A fund's figures", [FUND], {"200": _json(_ref("Statistics")), **NOT_FOUND}
        ),
        "/compliance/{year}": _get(
            "Budget compliance report (fund managers; token scope compliance)",
            [year],
            {
                "200": _json({"type": "object"}),
                "403": {"description": "Not allowed", "content": PROBLEM},
            },
            secured=True,
        ),
    }


def description(server: str) -> dict:
    """The whole document, for a server at `server` (…/api/v1)."""
    project_outputs = {
        **PROJECT_PROPERTIES,
        "outputs": {"type": "array", "items": _ref("Output")},
    }
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "rdfund open data API",
            "version": "1.0.0",
            "description": "Calls, funded projects, their results and Resolution 57 "
            "indicators. Public, no key needed; a bearer token of a fund opens its "
            "non-public fields (docs/public.md).",
        },
        "servers": [{"url": server}],
        "paths": paths(),
        "components": {
            "schemas": {
                "Call": CALL,
                "Project": _obj(PROJECT_REQUIRED, PROJECT_PROPERTIES),
                "ProjectWithOutputs": _obj([*PROJECT_REQUIRED, "outputs"], project_outputs),
                "Output": OUTPUT,
                "Indicator": INDICATOR,
                "Statistics": STATISTICS,
                "Problem": PROBLEM_SCHEMA,
            },
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        },
    }
