"""Checked sheets kept between the check and the import (R26): see ``models.ImportCheck``.

The content is JSON made by the importer (plain values only), compressed: 100,000 checked customer rows
take about 7 MB and half a second to write or read, against several seconds to read and check the sheet.
"""

from __future__ import annotations

import datetime as dt
import json
import zlib
from typing import Any

from django.db import transaction
from django.utils import timezone

from salesops.accounts.models import User
from salesops.customers.models import ImportCheck

CHECK_KEPT = dt.timedelta(hours=24)


@transaction.atomic
def import_check_keep(*, user: User, kind: str, digest: str, content: dict[str, Any]) -> None:
    """Keep ``content`` as ``user``'s check of the file ``digest`` (replacing their previous check of this
    kind) and purge everyone's checks older than ``CHECK_KEPT``."""
    now = timezone.now()
    payload = zlib.compress(json.dumps(content, ensure_ascii=False, separators=(",", ":")).encode(), 1)
    ImportCheck.objects.filter(created_at__lt=now - CHECK_KEPT).delete()
    ImportCheck.objects.update_or_create(
        user=user, kind=kind, defaults={"digest": digest, "payload": payload, "created_at": now}
    )


@transaction.atomic
def import_check_take(*, user: User, kind: str, digest: str) -> dict[str, Any] | None:
    """The content kept by ``user``'s check of the file ``digest``, deleted as it is taken; None when there is
    none, it is older than ``CHECK_KEPT``, or another import took it first (its delete waits for that
    import's transaction, then finds nothing: of two imports of one check, exactly one gets it)."""
    kept = (
        ImportCheck.objects.filter(user=user, kind=kind, digest=digest, created_at__gte=timezone.now() - CHECK_KEPT)
        .values_list("pk", "payload")
        .first()
    )
    if kept is None or ImportCheck.objects.filter(pk=kept[0]).delete()[0] == 0:
        return None
    content: dict[str, Any] = json.loads(zlib.decompress(kept[1]))
    return content
