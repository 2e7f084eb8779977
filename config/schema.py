"""The error responses of SPEC §10, documented on every operation that can answer them.

drf-spectacular documents only what a view declares, which is its success. One
postprocessing hook adds the error shape for the statuses an operation can really answer,
read from what the operation is (authenticated, takes input, names an object, changes
state), so a new endpoint is documented without remembering to.
"""

from __future__ import annotations

from typing import Any

ERROR_COMPONENT = "Error"
ERROR_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "error": {
            "type": "object",
            "properties": {
                "code": {"type": "string", "description": "Stable, for programs to branch on."},
                "message": {"type": "string", "description": "For people."},
                "fields": {
                    "type": "object",
                    "additionalProperties": {},
                    "description": "The invalid fields by name, each with its messages.",
                },
                "retry_after": {
                    "type": "integer",
                    "description": "On 429 only: seconds to wait, as the Retry-After header.",
                },
            },
            "required": ["code", "message", "fields"],
        }
    },
    "required": ["error"],
}

DESCRIPTIONS = {
    "400": "Invalid input; `fields` names each invalid field.",
    "401": "Not signed in, or the token is not valid.",
    "403": "Signed in, but this role or account may not do this.",
    "404": "Not found, or not yours (the two are not told apart).",
    "409": "Refused by the state of things (a taken slot, a submitted form, ...).",
    "422": "The Idempotency-Key was already used for a different request.",
    "429": "Too many requests; retry after `retry_after` seconds.",
}

# What the shape of an operation does not tell: the state rules of the services answer 409
# (the rubric endpoints while no rubric is published), a booking under a reused
# Idempotency-Key 422, and the token endpoint 403 for an address not yet verified.
# Keyed by (method, path) as they appear in the document.
EXTRA: dict[tuple[str, str], set[str]] = {
    ("post", "/api/v1/auth/token/"): {"403"},
    ("post", "/api/v1/sessions/"): {"409", "422"},
    ("post", "/api/v1/sessions/{session_id}/cancel/"): {"409"},
    ("post", "/api/v1/sessions/{session_id}/reschedule/"): {"409"},
    ("post", "/api/v1/sessions/{session_id}/complete/"): {"409"},
    ("post", "/api/v1/sessions/{session_id}/no-show/"): {"409"},
    ("get", "/api/v1/sessions/{session_id}/feedback/"): {"409"},
    ("put", "/api/v1/sessions/{session_id}/feedback/"): {"409"},
    ("post", "/api/v1/sessions/{session_id}/feedback/submit/"): {"409"},
    ("post", "/api/v1/sessions/{session_id}/review/"): {"409"},
    ("get", "/api/v1/rubrics/current/"): {"409"},
    ("patch", "/api/v1/study-plan/items/{item_id}/"): {"409"},
}
PAGE_PARAMETERS = {"page", "page_size"}
METHODS = {"get", "post", "put", "patch", "delete"}


def _error_statuses(method: str, path: str, operation: dict[str, Any]) -> list[str]:
    parameters = operation.get("parameters", [])
    query = {p["name"] for p in parameters if p["in"] == "query"}
    signed_in = any(requirement for requirement in operation.get("security", []))
    statuses = {"429"}  # every endpoint is throttled
    # Input is a body or a query to parse; a page number that is not a page is a 404.
    if "requestBody" in operation or query:
        statuses.add("400")
    if signed_in:
        statuses |= {"401", "403"}
    if any(p["in"] == "path" for p in parameters) or query & PAGE_PARAMETERS:
        statuses.add("404")
    return sorted(statuses | EXTRA.get((method, path), set()))


def document_errors(
    result: dict[str, Any], generator: Any, request: Any, public: bool
) -> dict[str, Any]:
    """drf-spectacular postprocessing hook: the §10 error shape on each operation."""
    result.setdefault("components", {}).setdefault("schemas", {})[ERROR_COMPONENT] = ERROR_SCHEMA
    reference = {"$ref": f"#/components/schemas/{ERROR_COMPONENT}"}
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            if method not in METHODS:
                continue
            responses = operation.setdefault("responses", {})
            for status in _error_statuses(method, path, operation):
                responses.setdefault(
                    status,
                    {
                        "description": DESCRIPTIONS[status],
                        "content": {"application/json": {"schema": reference}},
                    },
                )
    return result
