"""core.files: an upload is what its content says (never its name or the content type the client sent), is
refused when empty (400), too large (413) or of a kind the field does not take (415), is stored under a
random name the server chooses with the detected kind's extension, has no public address, and is served
with its kind's content type and ``nosniff``."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404
from django.test import override_settings

from salesops.core.errors import Invalid, TooLarge, UnsupportedFile
from salesops.core.files import (
    DOCUMENTS,
    GIF,
    JPEG,
    KINDS,
    PDF,
    PHOTOS,
    PNG,
    WEBP,
    FileKind,
    StoredName,
    accept_upload,
    detect,
    file_response,
    private_storage,
    rename_to_safe,
)

PNG_BYTES = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 64
JPEG_BYTES = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 64
WEBP_BYTES = b"RIFF\x40\x00\x00\x00WEBPVP8 " + b"\x00" * 64
GIF_BYTES = b"GIF89a" + b"\x00" * 64
PDF_BYTES = b"%PDF-1.7\n" + b"\x00" * 64
#: Files an attacker crafts: a page that starts like a PNG, an SVG with script, a GIF that is also a script,
#: a page with a PNG signature further in.
HTML_AS_PNG = b"\x89PNG\r\n\x1a\n<html><script>alert(document.cookie)</script></html>"
SVG_WITH_SCRIPT = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
GIF_JS_POLYGLOT = b"GIF89a/*\x00\x00*/=alert(document.domain)//;"
HTML_THEN_PNG = b"<html><body>" + PNG_BYTES
STORED = re.compile(r"^visits/[0-9]{4}/[0-9]{2}/[0-9a-f]{32}\.(jpg|png|webp|gif|pdf|bin)$")


def upload(content: bytes, name: str = "photo.png", content_type: str = "image/png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type)


@pytest.fixture
def media(settings, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.mark.parametrize(
    ("content", "kind"),
    [(PNG_BYTES, PNG), (JPEG_BYTES, JPEG), (WEBP_BYTES, WEBP), (GIF_BYTES, GIF), (PDF_BYTES, PDF),
     (HTML_AS_PNG, PNG), (GIF_JS_POLYGLOT, GIF), (SVG_WITH_SCRIPT, None), (HTML_THEN_PNG, None), (b"", None)],
)
def test_the_kind_comes_from_the_first_bytes(content: bytes, kind: FileKind | None) -> None:
    assert detect(content) == kind
    assert detect(upload(content, name="x.png")) == kind


def test_only_the_allowed_kinds_are_detected() -> None:
    assert detect(PDF_BYTES, PHOTOS) is None
    assert detect(PDF_BYTES, DOCUMENTS) == PDF
    assert detect(GIF_BYTES, PHOTOS) is None


def test_an_html_file_that_starts_like_a_png_is_kept_as_a_png() -> None:
    checked = accept_upload(upload(HTML_AS_PNG, name="invoice.html", content_type="text/html"),
                            allowed=PHOTOS, field="photos")
    assert checked.name == "upload.png"


@pytest.mark.parametrize(
    ("content", "name"),
    [(SVG_WITH_SCRIPT, "logo.svg"), (GIF_JS_POLYGLOT, "x.png"), (HTML_THEN_PNG, "x.png"), (PDF_BYTES, "scan.jpg")],
)
def test_a_kind_the_field_does_not_take_is_415(content: bytes, name: str) -> None:
    with pytest.raises(UnsupportedFile) as refused:
        accept_upload(upload(content, name=name), allowed=PHOTOS, field="photos")
    assert list(refused.value.fields) == ["photos"]
    assert "JPEG, PNG, WebP" in refused.value.fields["photos"][0]


def test_an_empty_file_is_400() -> None:
    with pytest.raises(Invalid) as refused:
        accept_upload(upload(b"", name="empty.jpg"), allowed=PHOTOS, field="file")
    assert not isinstance(refused.value, TooLarge | UnsupportedFile)
    assert list(refused.value.fields) == ["file"]


@override_settings(UPLOAD_MAX_BYTES=len(PNG_BYTES))
def test_a_file_over_the_size_limit_is_413_and_one_at_the_limit_passes() -> None:
    assert accept_upload(upload(PNG_BYTES), allowed=PHOTOS, field="photos").name == "upload.png"
    with pytest.raises(TooLarge) as refused:
        accept_upload(upload(PNG_BYTES + b"\x00"), allowed=PHOTOS, field="photos")
    assert list(refused.value.fields) == ["photos"]


def test_stored_names_are_random_dated_and_carry_only_a_known_extension() -> None:
    to = StoredName("visits")
    names = {to(None, "upload.png") for _ in range(50)}
    assert len(names) == 50
    assert all(STORED.match(name) and name.endswith(".png") for name in names)
    assert to(None, "invoice.html").endswith(".bin")
    assert to(None, "x.PHP.jpg").endswith(".jpg")


def test_private_files_have_no_public_address(media: Path) -> None:
    name = private_storage().save(StoredName("visits")(None, "upload.png"), ContentFile(PNG_BYTES))
    assert (media / name).read_bytes() == PNG_BYTES
    with pytest.raises(ValueError, match="no public address"):
        private_storage().url(name)


def test_a_legacy_file_under_the_clients_name_is_renamed_to_its_kind(media: Path) -> None:
    storage = private_storage()
    legacy = storage.save("visits/2026/01/产线.html", ContentFile(HTML_AS_PNG))
    safe = rename_to_safe(legacy, folder="visits", allowed=PHOTOS)
    assert STORED.match(safe) and safe.endswith(".png")
    assert (media / safe).read_bytes() == HTML_AS_PNG
    assert not storage.exists(legacy)


def test_a_legacy_file_of_no_allowed_kind_becomes_a_bin(media: Path) -> None:
    legacy = private_storage().save("visits/2026/01/logo.svg", ContentFile(SVG_WITH_SCRIPT))
    assert rename_to_safe(legacy, folder="visits", allowed=PHOTOS).endswith(".bin")


def test_a_safe_name_and_a_missing_file_keep_their_names(media: Path) -> None:
    safe = private_storage().save(StoredName("visits")(None, "upload.jpg"), ContentFile(JPEG_BYTES))
    assert rename_to_safe(safe, folder="visits", allowed=PHOTOS) == safe
    mislabelled = private_storage().save(StoredName("visits")(None, "upload.png"), ContentFile(JPEG_BYTES))
    assert rename_to_safe(mislabelled, folder="visits", allowed=PHOTOS).endswith(".jpg")
    assert rename_to_safe("visits/2026/01/gone.png", folder="visits", allowed=PHOTOS) == "visits/2026/01/gone.png"


class Stored:
    """What a FileField hands a view: a name in the private storage that opens."""

    def __init__(self, name: str) -> None:
        self.name = name

    def open(self, mode: str) -> object:
        return private_storage().open(self.name, mode)


@pytest.mark.parametrize("kind", list(KINDS.values()))
def test_a_file_is_served_as_its_kind_with_nosniff(media: Path, kind: FileKind) -> None:
    name = private_storage().save(StoredName("visits")(None, f"upload.{kind.extension}"), ContentFile(PNG_BYTES))
    response = file_response(Stored(name), download_name="visit-7")  # type: ignore[arg-type]
    assert response["Content-Type"] == kind.content_type
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"] == f'inline; filename="visit-7.{kind.extension}"'
    assert response["Cache-Control"] == "private, max-age=3600"


def test_a_file_of_no_known_kind_is_a_download(media: Path) -> None:
    name = private_storage().save(StoredName("visits")(None, "file.html"), ContentFile(SVG_WITH_SCRIPT))
    response = file_response(Stored(name), download_name="visit-7")  # type: ignore[arg-type]
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"] == 'attachment; filename="visit-7.bin"'


def test_a_missing_file_is_a_404_not_a_500(media: Path) -> None:
    with pytest.raises(Http404):
        file_response(Stored("visits/2026/01/" + "0" * 32 + ".png"), download_name="visit-7")  # type: ignore[arg-type]
