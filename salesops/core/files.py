"""Uploaded files: checked by content, stored under names the server chooses, served only through a view
that checks scope. Visit photos use it; task proofs and signed contract scans are to use it the same way.

- What a file is comes from its first bytes, never from the name or the content type the client sent:
  ``filetype`` (pure Python, no dependencies, no system library unlike libmagic bindings) matches the
  magic numbers of exactly the kinds a caller allows (``PHOTOS``: JPEG, PNG, WebP; ``DOCUMENTS``: those
  and PDF; GIF is known for later). An ``.html`` file that starts like a PNG is a PNG to us: stored as
  ``.png`` and served as ``image/png`` with ``nosniff``, so no browser runs it as a page; an SVG (it may
  carry script) matches nothing and is refused.
- An empty file is refused (400); one over ``settings.UPLOAD_MAX_BYTES`` (``UPLOAD_MAX_MB``, 20 MB by
  default) is ``TooLarge`` (413); a kind not allowed is ``UnsupportedFile`` (415), API.md "Errors".
- Stored files live in ``MEDIA_ROOT`` (the data folder, apart from the static root) as
  ``<folder>/<yyyy>/<mm>/<uuid4 hex>.<extension of the detected kind>``: the client's name is kept
  nowhere, and the name cannot be guessed.
- Nothing serves ``MEDIA_ROOT`` and ``PrivateStorage.url`` refuses to make an address: a file is read only
  by ``file_response`` from a view that found its row through ``visible_to`` (R1).

The choice: a ``FileField`` on the domain's own row (whose ``visible_to`` is the file's scope) with
``storage=private_storage`` and ``upload_to=StoredName("<folder>")``, rather than one shared model of files
that would need every domain's scope. A service calls ``accept_upload`` and saves what it returns::

    image = models.FileField(storage=private_storage, upload_to=StoredName("visits"))   # the model
    photo.image = accept_upload(upload, allowed=PHOTOS, field="photos")                 # the service
    return file_response(photo.image, download_name=f"visit-{photo.pk}")                # the view
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import filetype
from django.conf import settings
from django.core.files import File
from django.core.files.storage import FileSystemStorage
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404
from django.utils import timezone
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext as _
from filetype.types import archive, image

from salesops.core.errors import Invalid, TooLarge, UnsupportedFile


@dataclass(frozen=True)
class FileKind:
    """A kind of file we accept: the extension it is stored under, its content type, its name for people."""

    extension: str
    content_type: str
    label: str


JPEG = FileKind("jpg", "image/jpeg", "JPEG")
PNG = FileKind("png", "image/png", "PNG")
WEBP = FileKind("webp", "image/webp", "WebP")
GIF = FileKind("gif", "image/gif", "GIF")
PDF = FileKind("pdf", "application/pdf", "PDF")
KINDS = {kind.extension: kind for kind in (JPEG, PNG, WEBP, GIF, PDF)}
PHOTOS = (JPEG, PNG, WEBP)
DOCUMENTS = (*PHOTOS, PDF)

#: The magic-number matcher of each kind (``filetype`` reads at most this many bytes of a file).
_MATCHERS = {"jpg": image.Jpeg(), "png": image.Png(), "webp": image.Webp(), "gif": image.Gif(), "pdf": archive.Pdf()}
HEAD_BYTES = 8192
#: What a stored name looks like; anything else predates this module and is renamed by a migration.
STORED_NAME = re.compile(r"^[a-z]+/[0-9]{4}/[0-9]{2}/[0-9a-f]{32}\.[a-z]+$")
#: The extension of a stored file whose content is none of the known kinds (served as a download).
UNKNOWN_EXTENSION = "bin"


def detect(content: File[Any] | bytes, allowed: Sequence[FileKind] = tuple(KINDS.values())) -> FileKind | None:
    """The kind of ``content`` among ``allowed``, read from its first bytes; None when it is none of them."""
    if isinstance(content, bytes):
        head = content[:HEAD_BYTES]
    else:
        content.seek(0)
        head = content.read(HEAD_BYTES)
        content.seek(0)
    found = filetype.match(head, matchers=[_MATCHERS[kind.extension] for kind in allowed])
    return None if found is None else KINDS[found.extension]


def accept_upload(upload: File[Any], *, allowed: Sequence[FileKind], field: str) -> File[Any]:
    """The upload, checked (not empty, within the size limit, of an allowed kind by content) and named
    ``<kind>.<extension>`` for ``StoredName``; raises ``Invalid``, ``TooLarge`` or ``UnsupportedFile`` with
    the message under ``field``. The client's file name only appears in the message."""
    name = (upload.name or "")[:80]
    size = upload.size or 0
    if size == 0:
        raise Invalid(fields={field: _("%(name)s is empty.") % {"name": name}})
    if size > settings.UPLOAD_MAX_BYTES:
        limit = settings.UPLOAD_MAX_BYTES // (1024 * 1024)
        raise TooLarge(fields={field: _("%(name)s is larger than %(size)d MB.") % {"name": name, "size": limit}})
    kind = detect(upload, allowed)
    if kind is None:
        labels = ", ".join(kind.label for kind in allowed)
        raise UnsupportedFile(fields={field: _("%(name)s is not a file of the accepted kinds (%(kinds)s).") % {
            "name": name, "kinds": labels}})
    return File(upload, name=f"upload.{kind.extension}")


@deconstructible
class StoredName:
    """``upload_to`` of a private file: ``<folder>/<yyyy>/<mm>/<uuid4 hex>.<extension>``, the extension
    being that of the detected kind (``accept_upload`` names the file so) and ``bin`` for anything else."""

    def __init__(self, folder: str) -> None:
        self.folder = folder

    def __call__(self, instance: object, filename: str) -> str:
        extension = filename.rpartition(".")[2].lower()
        if extension not in KINDS:
            extension = UNKNOWN_EXTENSION
        return f"{self.folder}/{timezone.localdate():%Y/%m}/{uuid.uuid4().hex}.{extension}"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, StoredName) and other.folder == self.folder

    def __hash__(self) -> int:
        return hash(self.folder)


class PrivateStorage(FileSystemStorage):
    """Files under ``MEDIA_ROOT`` that have no public address: ``url()`` refuses, so no template or
    serializer can hand one out; ``file_response`` serves them after the view's scope check."""

    def url(self, name: str | None) -> str:
        raise ValueError("Private files have no public address; serve them through a view that checks scope.")


_private_storage = PrivateStorage()


def private_storage() -> PrivateStorage:
    """The storage of private files (a callable, so migrations name it rather than a path on disk)."""
    return _private_storage


def rename_to_safe(name: str, *, folder: str, allowed: Sequence[FileKind]) -> str:
    """The stored name ``name`` should have: unchanged when it is a name the server chose with the
    extension of its content's kind; else the file is moved to a fresh ``StoredName`` (``bin`` when its
    content is none of ``allowed``) and the new name returned. For migrations of files stored before
    this module; a missing file keeps its name."""
    storage = private_storage()
    try:
        handle = storage.open(name, "rb")
    except FileNotFoundError:
        return name
    with handle:
        kind = detect(handle, allowed)
        extension = kind.extension if kind else UNKNOWN_EXTENSION
        if STORED_NAME.match(name) and name.startswith(f"{folder}/") and name.endswith(f".{extension}"):
            return name
        new_name = storage.save(StoredName(folder)(None, f"file.{extension}"), handle)
    storage.delete(name)
    return new_name


def file_response(stored: FieldFile, *, download_name: str) -> FileResponse:
    """A stored file for a view that has checked the scope: its content type from the kind it was stored
    as, ``nosniff``, shown inline as ``<download_name>.<extension>`` (a file of no known kind is a
    download of ``application/octet-stream``), cached privately. A missing file is a 404."""
    extension = stored.name.rpartition(".")[2].lower() if stored.name else ""
    kind = KINDS.get(extension)
    try:
        handle = stored.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        handle,
        as_attachment=kind is None,
        filename=f"{download_name}.{kind.extension if kind else UNKNOWN_EXTENSION}",
        content_type=kind.content_type if kind else "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=3600"
    return response
