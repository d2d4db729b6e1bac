"""The one error schema of the API (API.md "Errors") and how operations document it.

An operation names its own error cases with ``error_responses`` (a description per status); the
post-processing hook then gives every error response of every operation the one schema, ``ApiError``,
and adds the statuses any operation may answer that it did not name.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.contrib.knox_auth_token import KnoxTokenScheme
from drf_spectacular.utils import OpenApiResponse

ERROR_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "error": {
            "type": "object",
            "properties": {
                "code": {"type": "string"},
                "message": {"type": "string"},
                "fields": {"type": "object", "additionalProperties": True},
                # 409 duplicate / possible_duplicate (R15): outside the caller's scope only the id, the
                # matched field and the owner masked
                "duplicate_of": {"type": "object", "additionalProperties": True},
                "candidates": {"type": "array", "items": {"type": "object", "additionalProperties": True}},
            },
            "required": ["code", "message", "fields"],
        }
    },
    "required": ["error"],
}

# The errors any operation may answer: bad input, no login, a role that may not act, outside the scope
# (R1) or an unknown page of a list.
COMMON_ERRORS = {
    "400": "Bad input; field messages under error.fields.",
    "401": "Not logged in.",
    "403": "The caller's role may not do this.",
    "404": "Not found, or outside the caller's data scope (R1).",
}


class LanguageTokenScheme(KnoxTokenScheme):  # type: ignore[misc]
    """``Authorization: Token <token>`` in the schema (``core.drf.LanguageTokenAuthentication``)."""

    target_class = "salesops.core.drf.LanguageTokenAuthentication"
    name = "tokenAuth"


WRITE_ERRORS = {
    "409": "Conflict: a duplicate, a lost race or a stale version.",
    "413": "The request body is larger than the server accepts.",
}
UPLOAD_ERRORS = {"413": "The file is too large.", "415": "The file is not of an accepted type."}


def error_responses(described: dict[int, str]) -> dict[int, OpenApiResponse]:
    """An operation's own error cases for ``extend_schema(responses=...)``, e.g. ``{409: "already_claimed:
    someone else was faster."}``; the schema is added by ``add_error_responses``."""
    return {status: OpenApiResponse(description=text) for status, text in described.items()}


def add_error_responses(result: dict[str, Any], generator: Any, request: Any, public: bool) -> dict[str, Any]:
    result.setdefault("components", {}).setdefault("schemas", {})["ApiError"] = ERROR_SCHEMA
    ref = {"application/json": {"schema": {"$ref": "#/components/schemas/ApiError"}}}
    for operations in result.get("paths", {}).values():
        for method, operation in operations.items():
            errors = dict(COMMON_ERRORS)
            if method in ("post", "put", "patch", "delete"):
                errors.update(WRITE_ERRORS)
            if "multipart/form-data" in operation.get("requestBody", {}).get("content", {}):
                errors.update(UPLOAD_ERRORS)
            responses = operation.setdefault("responses", {})
            for code, description in errors.items():
                responses.setdefault(code, {"description": description})
            for code, response in responses.items():
                if code[0] in "45":
                    response["content"] = ref
    return result
