"""Strict parsing of environment variables for the settings module.

A bad value stops start-up with a message that names the variable and what it accepts, instead of
being silently read as something else (``DEBUG=flase`` must not mean "on").
"""

from __future__ import annotations

import builtins
import os
from collections.abc import Mapping
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


class Env:
    """Typed readers over a mapping of environment variables (``os.environ`` by default)."""

    def __init__(self, environ: Mapping[builtins.str, builtins.str] | None = None) -> None:
        self.environ = os.environ if environ is None else environ

    def _raw(self, name: builtins.str) -> builtins.str | None:
        value = self.environ.get(name)
        if value is None or value.strip() == "":
            return None
        return value.strip()

    def str(self, name: builtins.str, default: builtins.str) -> builtins.str:
        value = self._raw(name)
        return default if value is None else value

    def optional(self, name: builtins.str) -> builtins.str | None:
        return self._raw(name)

    def bool(self, name: builtins.str, default: builtins.bool) -> builtins.bool:
        value = self._raw(name)
        if value is None:
            return default
        if value.lower() in _TRUE:
            return True
        if value.lower() in _FALSE:
            return False
        raise ImproperlyConfigured(f"{name}={value!r} is not a boolean; use one of 1/0, true/false, yes/no, on/off.")

    def int(
        self,
        name: builtins.str,
        default: builtins.int,
        *,
        minimum: builtins.int | None = None,
        maximum: builtins.int | None = None,
    ) -> builtins.int:
        value = self._raw(name)
        if value is None:
            return default
        try:
            number = int(value)
        except ValueError:
            raise ImproperlyConfigured(f"{name}={value!r} is not a whole number.") from None
        if (minimum is not None and number < minimum) or (maximum is not None and number > maximum):
            raise ImproperlyConfigured(f"{name}={number} is outside the range {minimum}..{maximum}.")
        return number

    def list(self, name: builtins.str, default: builtins.list[builtins.str]) -> builtins.list[builtins.str]:
        value = self._raw(name)
        if value is None:
            return list(default)
        items = [item.strip() for item in value.split(",")]
        if any(not item for item in items):
            raise ImproperlyConfigured(f"{name}={value!r} has an empty item; separate values with single commas.")
        return items

    def time_zone(self, name: builtins.str, default: builtins.str) -> builtins.str:
        value = self.str(name, default)
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ImproperlyConfigured(
                f"{name}={value!r} is not a known IANA time zone (e.g. Asia/Shanghai)."
            ) from None
        return value

    def url(self, name: builtins.str, schemes: tuple[builtins.str, ...]) -> builtins.str | None:
        value = self._raw(name)
        if value is None:
            return None
        scheme = value.split("://", 1)[0].lower() if "://" in value else ""
        if scheme not in schemes:
            accepted = ", ".join(s + "://" for s in schemes)
            raise ImproperlyConfigured(f"{name} must be a URL starting with one of {accepted}.")
        return value
