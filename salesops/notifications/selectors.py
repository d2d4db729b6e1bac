"""Reads of the inbox: a person's notifications, newest first, and how many are unread."""

from __future__ import annotations

from typing import Any

from salesops.notifications.models import Notification, NotificationQuerySet


def inbox(*, user: Any, unread_only: bool = False) -> NotificationQuerySet:
    rows = Notification.objects.visible_to(user)
    return rows.unread() if unread_only else rows


def unread_count(*, user: Any) -> int:
    return Notification.objects.visible_to(user).unread().count()
