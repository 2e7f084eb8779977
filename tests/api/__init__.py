from __future__ import annotations

from typing import Any


def api_error(response: Any, status: int) -> dict[str, Any]:
    """The `error` object of a response, once it has the one error shape of SPEC §10."""
    body = response.json()
    if response.status_code != status:
        raise AssertionError(f"expected {status}, got {response.status_code}: {body}")
    if set(body) != {"error"}:
        raise AssertionError(f"expected only an `error` key: {body}")
    error = body["error"]
    if not isinstance(error.get("code"), str) or not error["code"]:
        raise AssertionError(f"the error has no code: {body}")
    if not isinstance(error.get("message"), str) or not error["message"]:
        raise AssertionError(f"the error has no message: {body}")
    if not isinstance(error.get("fields"), dict):
        raise AssertionError(f"the error has no `fields` object: {body}")
    return error
