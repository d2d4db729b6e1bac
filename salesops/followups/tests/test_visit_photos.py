"""Visit photos (R11) through the API and the pages: crafted uploads are refused (415, 413, 400) or kept
under a safe extension; a photo is served, with its kind's content type and ``nosniff``, to exactly those
who see its follow-up record (R1: records follow their customer; the author sees what they wrote); its
address is a view, never a file URL; the customer's timeline shows the rep's photos."""

from __future__ import annotations

import importlib
import re

import pytest
from django.apps import apps as django_apps
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from salesops.core.files import private_storage
from salesops.core.tests.test_files import GIF_JS_POLYGLOT, HTML_AS_PNG, SVG_WITH_SCRIPT
from salesops.customers.models import Customer
from salesops.followups.models import FollowUp, VisitPhoto
from salesops.followups.tests.conftest import JPEG, PNG
from salesops.testing.actors import Actors

URL = "/api/followups/"
STORED = re.compile(r"^visits/[0-9]{4}/[0-9]{2}/[0-9a-f]{32}\.(jpg|png|webp)$")


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def visit(customer: Customer, *photos: SimpleUploadedFile) -> dict[str, object]:
    return {"customer": customer.pk, "contacted_at": "2026-03-04T15:30:00+08:00", "channel": "visit",
            "key_points": "现场看了产线", "photos": list(photos)}


def served(client: Client, url: str) -> bytes:
    response = client.get(url)
    assert response.status_code == 200
    return b"".join(response.streaming_content)  # type: ignore[attr-defined]


def test_an_html_file_that_starts_like_a_png_is_stored_and_served_as_a_png(
    actors: Actors, api_as, make_customer, clock, client: Client
) -> None:
    customer = make_customer(owner=actors.rep_a1)
    page = SimpleUploadedFile("invoice.html", HTML_AS_PNG, "text/html")
    response = api_as(actors.rep_a1).post(URL, visit(customer, page), format="multipart")
    assert response.status_code == 201, response.json()
    stored = VisitPhoto.objects.get().image.name
    assert STORED.match(stored) and stored.endswith(".png")
    client.force_login(actors.rep_a1)
    answer = client.get(response.json()["photos"][0])
    assert answer["Content-Type"] == "image/png"
    assert answer["X-Content-Type-Options"] == "nosniff"
    photo = VisitPhoto.objects.get()
    assert answer["Content-Disposition"] == f'inline; filename="visit-{photo.pk}.png"'


@pytest.mark.parametrize(
    ("content", "name", "content_type"),
    [(SVG_WITH_SCRIPT, "logo.svg", "image/svg+xml"), (GIF_JS_POLYGLOT, "x.gif", "image/gif"),
     (b"<html><body>" + PNG, "x.png", "image/png"), (b"%PDF-1.7\n" + PNG, "scan.jpg", "image/jpeg")],
)
def test_a_file_that_is_not_a_photo_is_415_and_logs_nothing(
    actors: Actors, api_as, make_customer, clock, content: bytes, name: str, content_type: str
) -> None:
    customer = make_customer(owner=actors.rep_a1)
    upload = SimpleUploadedFile(name, content, content_type)
    response = api_as(actors.rep_a1).post(URL, visit(customer, upload), format="multipart")
    assert response.status_code == 415
    assert response.json()["error"]["code"] == "unsupported_file"
    assert list(response.json()["error"]["fields"]) == ["photos"]
    assert (FollowUp.objects.count(), VisitPhoto.objects.count()) == (0, 0)


def test_a_photo_over_the_size_limit_is_413_and_logs_nothing(actors: Actors, api_as, make_customer, clock,
                                                             settings) -> None:
    settings.UPLOAD_MAX_BYTES = len(PNG)
    customer = make_customer(owner=actors.rep_a1)
    photos = [SimpleUploadedFile("a.png", PNG, "image/png"), SimpleUploadedFile("b.png", PNG + b"\0", "image/png")]
    response = api_as(actors.rep_a1).post(URL, visit(customer, *photos), format="multipart")
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "too_large"
    assert list(response.json()["error"]["fields"]) == ["photos"]
    assert (FollowUp.objects.count(), VisitPhoto.objects.count()) == (0, 0)


def test_an_empty_photo_is_400_and_logs_nothing(actors: Actors, api_as, make_customer, clock) -> None:
    customer = make_customer(owner=actors.rep_a1)
    response = api_as(actors.rep_a1).post(URL, visit(customer, SimpleUploadedFile("a.jpg", b"", "image/jpeg")),
                                          format="multipart")
    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == ["photos"]
    assert FollowUp.objects.count() == 0


def test_a_crafted_photo_on_the_follow_up_form_is_shown_on_the_form(actors: Actors, make_customer, clock,
                                                                    client: Client) -> None:
    customer = make_customer(owner=actors.rep_a1)
    client.force_login(actors.rep_a1)
    response = client.post(reverse("followup-create", args=[customer.pk]), {
        "contacted_at": "2026-03-04T15:30", "channel": "visit", "key_points": "现场看了产线",
        "photos": [SimpleUploadedFile("logo.svg", SVG_WITH_SCRIPT, "image/svg+xml")],
    })
    assert response.status_code == 400
    assert "JPEG, PNG, WebP" in response.content.decode()
    assert FollowUp.objects.count() == 0


@pytest.fixture
def moved_record(actors: Actors, api_as, make_customer, clock) -> tuple[Customer, str]:
    """rep_a2 logs a visit with a photo on their customer, which then moves to rep_b1 (team B): the
    record follows the customer (R1), and its author still sees what they wrote."""
    customer = make_customer(owner=actors.rep_a2)
    response = api_as(actors.rep_a2).post(URL, visit(customer, SimpleUploadedFile("产线.jpg", JPEG, "image/jpeg")),
                                          format="multipart")
    assert response.status_code == 201, response.json()
    Customer.objects.filter(pk=customer.pk).update(owner=actors.rep_b1)
    return customer, response.json()["photos"][0]


@pytest.mark.parametrize("viewer", ["rep_b1", "lead_b", "rep_a2", "director", "admin"])
def test_the_owner_their_lead_and_the_author_see_the_photo(actors: Actors, moved_record, client: Client,
                                                           viewer: str) -> None:
    _customer, url = moved_record
    client.force_login(getattr(actors, viewer))
    response = client.get(url)
    assert response["Content-Type"] == "image/jpeg"
    assert served(client, url) == JPEG


@pytest.mark.parametrize("outsider", ["rep_c1", "lead_c", "rep_a1", "lead_a"])
def test_anyone_else_gets_404(actors: Actors, moved_record, client: Client, outsider: str) -> None:
    _customer, url = moved_record
    client.force_login(getattr(actors, outsider))
    response = client.get(url)
    assert response.status_code == 404
    assert b"\xff\xd8\xff" not in response.content


def test_nobody_logged_in_is_sent_to_log_in(moved_record, client: Client) -> None:
    _customer, url = moved_record
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_a_withdrawn_record_hides_its_photo(actors: Actors, moved_record, client: Client) -> None:
    _customer, url = moved_record
    FollowUp.objects.update(is_active=False)
    client.force_login(actors.rep_b1)
    assert client.get(url).status_code == 404


def test_the_file_has_no_guessable_address(actors: Actors, moved_record, client: Client) -> None:
    _customer, url = moved_record
    photo = VisitPhoto.objects.get()
    assert url == reverse("visit-photo", args=[photo.pk])
    assert STORED.match(photo.image.name) and "产线" not in photo.image.name
    with pytest.raises(ValueError, match="no public address"):
        photo.image.url  # noqa: B018  (the property itself refuses)
    client.force_login(actors.admin)
    for guess in (f"/media/{photo.image.name}", f"/{photo.image.name}", f"/static/{photo.image.name}"):
        assert client.get(guess).status_code == 404, guess


def test_the_timeline_shows_the_visit_photos_as_thumbnails(actors: Actors, moved_record, client: Client) -> None:
    customer, url = moved_record
    client.force_login(actors.rep_b1)
    page = client.get(reverse("customer-detail", args=[customer.pk])).content.decode()
    assert f'href="{url}"' in page
    assert re.search(rf'<img [^>]*src="{re.escape(url)}"', page)
    client.force_login(actors.rep_a2)  # the author no longer sees the customer's page
    assert client.get(reverse("customer-detail", args=[customer.pk])).status_code == 404


def test_the_timeline_reads_photos_in_one_query_whatever_their_number(actors: Actors, api_as, make_customer, clock,
                                                                      client: Client) -> None:
    customer = make_customer(owner=actors.rep_a1)
    client.force_login(actors.rep_a1)
    page = reverse("customer-detail", args=[customer.pk])

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(page).status_code == 200
        return len(captured)

    api_as(actors.rep_a1).post(URL, visit(customer, SimpleUploadedFile("a.png", PNG, "image/png")), format="multipart")
    one = queries()
    for _ in range(3):
        photos = [SimpleUploadedFile("a.png", PNG, "image/png"), SimpleUploadedFile("b.jpg", JPEG, "image/jpeg")]
        api_as(actors.rep_a1).post(URL, visit(customer, *photos), format="multipart")
    assert queries() == one
    assert client.get(page).content.decode().count('class="timeline-photo"') == 7


def test_the_migration_renames_photos_stored_under_the_clients_name(actors: Actors, api_as, make_customer, clock,
                                                                   media) -> None:
    customer = make_customer(owner=actors.rep_a1)
    api_as(actors.rep_a1).post(URL, visit(customer, SimpleUploadedFile("a.png", PNG, "image/png")), format="multipart")
    safe = VisitPhoto.objects.get()
    record = safe.followup
    legacy_name = private_storage().save("visits/2026/01/现场.html", ContentFile(HTML_AS_PNG))
    legacy = VisitPhoto.objects.create(followup=record, image=legacy_name)
    migration = importlib.import_module("salesops.followups.migrations.0005_private_photos")
    migration.rename_unsafe_photos(django_apps, None)
    legacy.refresh_from_db()
    assert STORED.match(legacy.image.name) and legacy.image.name.endswith(".png")
    assert (media / legacy.image.name).read_bytes() == HTML_AS_PNG
    assert not (media / legacy_name).exists()
    assert VisitPhoto.objects.get(pk=safe.pk).image.name == safe.image.name  # a safe name stays
