"""In-app notifications: what the system tells one person (R15 pool returns, later alerts and tasks)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class NotificationQuerySet(models.QuerySet["Notification"]):
    """A notification belongs to its addressee only: nobody else sees it, an admin neither (R1)."""

    def visible_to(self, user: Any) -> NotificationQuerySet:
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        return self.filter(user_id=user.pk)

    def unread(self) -> NotificationQuerySet:
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """One message in a person's inbox: a short title, an optional body and a link to what it is about.

    ``kind`` is a machine word naming what caused it (``pool_recycle``, ...) so clients can group or
    filter; it is read once ``read_at`` is set. Written by the ``inapp`` transport of ``notify`` only.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("person"), on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("kind"), max_length=40)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"), blank=True)
    url = models.CharField(_("link"), max_length=500, blank=True)
    # What the message names, each a link to its page: [{"text": "杭州禾木新材料科技有限公司", "url": "/customers/7/"}]
    links = models.JSONField(_("links"), default=list, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [models.Index(fields=["user", "read_at", "-created_at"], name="notification_inbox")]

    def __str__(self) -> str:
        return self.title

    @property
    def is_read(self) -> bool:
        return self.read_at is not None
