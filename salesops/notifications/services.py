"""Writes on notifications: ``notify`` (through the transports, after commit) and marking them read."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from salesops.notifications.models import Notification
from salesops.notifications.transports import Message, Transport, transports

if TYPE_CHECKING:
    from salesops.accounts.models import User

TITLE_MAX = 200
URL_MAX = 500


def _delivery(name: str, transport: Transport, message: Message) -> Callable[[], None]:
    """The on-commit callback of one transport, named after it (Django logs a failing one by that name)."""

    def deliver() -> None:
        transport(message)

    deliver.__qualname__ = f"notification transport {name}"
    return deliver


def notify(
    *, user: User, kind: str, title: str, body: str = "", url: str = "", links: Sequence[tuple[str, str]] = ()
) -> None:
    """Tell ``user`` something. Every transport gets the message once the current transaction commits, so
    a change that is rolled back tells nobody; a transport that fails is logged and does not stop the others
    (``robust``). ``url`` is a link inside the application, e.g. ``/pool/``; ``links`` the (text, url) of
    what the message names, e.g. each customer with its page."""
    message = Message(
        user_id=user.pk, kind=kind, title=title[:TITLE_MAX], body=body, url=url[:URL_MAX],
        links=tuple((text, link[:URL_MAX]) for text, link in links),
    )
    for name, transport in list(transports.items()):
        transaction.on_commit(_delivery(name, transport, message), robust=True)


@transaction.atomic
def notification_mark_read(*, notification: Notification, by: User) -> Notification:
    """Mark one notification read; one already read keeps the time it was first read."""
    if notification.user_id != by.pk:
        raise PermissionDenied(_("This notification is addressed to someone else."))
    if notification.read_at is None:
        notification.read_at = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=notification.read_at)
    return notification


@transaction.atomic
def notifications_mark_all_read(*, by: User) -> int:
    """Mark every unread notification of ``by`` read; returns how many were unread."""
    return Notification.objects.visible_to(by).unread().update(read_at=timezone.now())
