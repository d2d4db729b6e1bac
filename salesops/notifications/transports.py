"""Where a notification goes: a registry of transports, name → callable taking a ``Message``.

``inapp`` (the inbox) is always there; e-mail or WeChat Work register their own transport with
``register_transport`` from their app's ``ready()``. ``notify`` hands every message to every
transport once the surrounding transaction commits.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Message:
    """What ``notify`` was asked to say, to whom (a user id, so a transport reloads what it needs)."""

    user_id: int
    kind: str
    title: str
    body: str
    url: str
    links: tuple[tuple[str, str], ...] = ()  # (text, url inside the application) of what the message names


Transport = Callable[[Message], None]

transports: dict[str, Transport] = {}


def register_transport(name: str, transport: Transport) -> None:
    """Add a transport under a name; a name is registered once."""
    if name in transports:
        raise ValueError(f"A notification transport named {name!r} is registered already.")
    transports[name] = transport


def inapp(message: Message) -> None:
    """Store the message in the person's inbox (``/inbox/``, ``/api/notifications/``)."""
    from salesops.notifications.models import Notification

    Notification.objects.create(
        user_id=message.user_id, kind=message.kind, title=message.title, body=message.body, url=message.url,
        links=[{"text": text, "url": url} for text, url in message.links],
    )


register_transport("inapp", inapp)
