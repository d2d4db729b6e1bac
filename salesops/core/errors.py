"""Domain errors: what a service says when it refuses, whoever called it.

Services raise these and nothing transport-specific (no DRF exception, no ``Http404``). Each caller maps
them once: the API's exception handler (``core.api.exception_handler``) to the error shape of API.md
(400 ``invalid`` with ``fields``, 413 and 415 for a file too large or of a wrong kind, 403, 404, 409
with the error's ``code`` and ``extra`` keys); page views catch ``Conflict`` and ``Invalid`` to show the
message on the form, and
``core.middleware.DomainErrorMiddleware`` turns anything a page lets through into the friendly
404/403/409/400 page; jobs and commands print the message.

``Invalid`` and ``PermissionDenied`` are also Django's ``ValidationError`` and ``PermissionDenied``:
forms (``form.add_error(None, error)``), the admin and model validation (``full_clean``) already speak
those, so code that catches Django's class catches ours too.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.core import exceptions as django_exceptions
from django.utils.functional import Promise

#: A message: a string or a lazy translation.
Message = str | Promise
FieldMessages = Message | Sequence[Message]


class DomainError(Exception):
    """Base of the errors a service raises; ``code`` is the API's error code (API.md "Errors")."""

    code: str = "error"

    def __init__(self, message: Message = "", *, code: str | None = None) -> None:
        super().__init__(str(message))
        self.message = str(message)
        if code is not None:
            self.code = code

    def __str__(self) -> str:
        return self.message


class Conflict(DomainError):  # noqa: N818  (the API's words)
    """409: a duplicate, a lost race, a stale version, a state that forbids the action.

    ``code`` names the case for the API (``duplicate``, ``already_claimed``, ``stale`` ...); ``extra``
    keys join the API's error object (``duplicate_of``, ``candidates`` ...)."""

    code = "conflict"

    def __init__(self, message: Message, *, code: str = "conflict", extra: Mapping[str, Any] | None = None) -> None:
        super().__init__(message, code=code)
        self.extra: dict[str, Any] = dict(extra or {})


class NotFound(DomainError):  # noqa: N818  (the API's words)
    """404: no such row, or one outside the caller's data scope (R1): both answer alike, so ids never leak;
    the API and the pages say only "not found", whatever the message (kept for logs and tests)."""

    code = "not_found"


class PermissionDenied(DomainError, django_exceptions.PermissionDenied):  # noqa: N818  (the API's words)
    """403: the caller's role may not do this (the row itself is in their scope, else ``NotFound``)."""

    code = "permission_denied"


# misc: Django's stubs type ``ValidationError.message`` as str-or-lazy; ours is always a plain str.
class Invalid(DomainError, django_exceptions.ValidationError):  # type: ignore[misc]  # noqa: N818
    """400: bad input. ``message`` is about the whole request; ``fields`` maps a field name to its
    message(s). Either may be left out: ``Invalid(fields={"reason": _("Give a reason.")})``.

    It is a Django ``ValidationError`` too (``message_dict``, ``messages``), with the whole-request
    message under ``NON_FIELD_ERRORS`` when fields are named."""

    code = "invalid"

    def __init__(self, message: Message = "", *, fields: Mapping[str, FieldMessages] | None = None) -> None:
        self.message = str(message)
        self.fields: dict[str, list[str]] = {
            name: [str(text)] if isinstance(text, str | Promise) else [str(item) for item in text]
            for name, text in (fields or {}).items()
        }
        if self.fields:
            data: dict[str, list[str]] = dict(self.fields)
            if self.message:
                data[django_exceptions.NON_FIELD_ERRORS] = [self.message]
            django_exceptions.ValidationError.__init__(self, data)
        else:
            django_exceptions.ValidationError.__init__(self, self.message, code=self.code)

    def __str__(self) -> str:
        return self.message or " ".join(self.messages)

    @classmethod
    def from_validation_error(cls, error: django_exceptions.ValidationError) -> Invalid:
        """The same messages as a Django ``ValidationError`` (a model's ``full_clean``, a password check)."""
        if isinstance(error, Invalid):
            return error
        if not hasattr(error, "error_dict"):
            return cls(" ".join(error.messages))
        found = dict(error.message_dict)
        general = found.pop(django_exceptions.NON_FIELD_ERRORS, [])
        return cls(" ".join(general), fields=found)


class TooLarge(Invalid):
    """413: an uploaded file over the size limit (``core.files``); its message under the file's field."""

    code = "too_large"


class UnsupportedFile(Invalid):
    """415: an uploaded file whose content is not of a kind the field accepts (``core.files``)."""

    code = "unsupported_file"
