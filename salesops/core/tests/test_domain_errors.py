"""Domain errors (``core.errors``) raised by a service reach the caller in the caller's own terms: the API
answers in the error shape of API.md (400 ``invalid`` with fields, 403, 404, 409 with the code and extra
keys); a page the view does not handle them on shows the 404/403 page or a 409/400 page, never a 500."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.http import HttpRequest, HttpResponse
from django.test import Client, override_settings
from django.urls import path
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from salesops import urls as project_urls
from salesops.core import errors
from salesops.testing.actors import Actors

RAISED: dict[str, Callable[[], errors.DomainError]] = {
    "conflict": lambda: errors.Conflict("已被他人领取。", code="already_claimed", extra={"owner": "张伟"}),
    "not-found": lambda: errors.NotFound("没有这个客户：秘密名称。"),
    "denied": lambda: errors.PermissionDenied("只有团队负责人可以转移客户。"),
    "invalid-field": lambda: errors.Invalid(fields={"reason": "请填写原因。"}),
    "invalid-both": lambda: errors.Invalid(
        "整批被拒绝。", fields={"customers": ["至少选择一个客户。", "最多五百个。"]}
    ),
    "invalid-plain": lambda: errors.Invalid("这个客户已被合并。"),
}


def page(request: HttpRequest, kind: str) -> HttpResponse:
    raise RAISED[kind]()


class RaisingView(APIView):
    def get(self, request: Request, kind: str) -> Response:
        raise RAISED[kind]()


urlpatterns: list[Any] = [
    path("raise/<str:kind>/", page),
    path("api/raise/<str:kind>/", RaisingView.as_view()),
    *project_urls.urlpatterns,
]
handler403 = project_urls.handler403
handler404 = project_urls.handler404
urls = override_settings(ROOT_URLCONF=__name__)


def api_error(client: Client, kind: str, status: int) -> dict[str, Any]:
    response = client.get(f"/api/raise/{kind}/")
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"error"}
    return body["error"]


@urls
def test_the_api_maps_each_domain_error_to_its_status_and_shape(actors: Actors, client: Client) -> None:
    client.force_login(actors.lead_a)
    assert api_error(client, "conflict", 409) == {
        "code": "already_claimed",
        "message": "已被他人领取。",
        "fields": {},
        "owner": "张伟",
    }
    not_found = api_error(client, "not-found", 404)
    # R1: the answer an id nobody has gets; the service's words (a customer's name) stay unsaid.
    assert not_found == {
        "code": "not_found",
        "message": client.get("/api/customers/987654321/").json()["error"]["message"],
        "fields": {},
    }
    assert "秘密名称" not in not_found["message"]
    assert api_error(client, "denied", 403) == {
        "code": "permission_denied",
        "message": "只有团队负责人可以转移客户。",
        "fields": {},
    }
    field = api_error(client, "invalid-field", 400)
    assert (field["code"], field["fields"]) == ("invalid", {"reason": ["请填写原因。"]})
    assert field["message"]  # the generic "some fields are not valid" in the user's language
    assert api_error(client, "invalid-both", 400) == {
        "code": "invalid",
        "message": "整批被拒绝。",
        "fields": {"customers": ["至少选择一个客户。", "最多五百个。"]},
    }
    assert api_error(client, "invalid-plain", 400) == {"code": "invalid", "message": "这个客户已被合并。", "fields": {}}


@urls
def test_a_page_shows_the_404_page_without_the_services_words(actors: Actors, client: Client) -> None:
    """R1: the 404 page says "not found" and nothing the service knew (here, a customer's name)."""
    client.force_login(actors.rep_a1)
    response = client.get("/raise/not-found/")
    assert response.status_code == 404
    assert "秘密名称" not in response.content.decode()


@urls
@pytest.mark.parametrize(
    ("kind", "status", "shown"),
    [
        ("denied", 403, "只有团队负责人可以转移客户。"),
        ("conflict", 409, "已被他人领取。"),
        ("invalid-plain", 400, "这个客户已被合并。"),
        ("invalid-field", 400, "请填写原因。"),
    ],
)
def test_a_page_shows_the_status_page_with_the_message(
    actors: Actors, client: Client, kind: str, status: int, shown: str
) -> None:
    client.force_login(actors.rep_a1)
    response = client.get(f"/raise/{kind}/")
    assert response.status_code == status
    assert shown in response.content.decode()


def test_invalid_is_a_django_validation_error_for_forms_and_the_admin() -> None:
    both = errors.Invalid("整批被拒绝。", fields={"customers": "至少选择一个客户。"})
    assert isinstance(both, ValidationError)
    assert both.message_dict == {"customers": ["至少选择一个客户。"], NON_FIELD_ERRORS: ["整批被拒绝。"]}
    plain = errors.Invalid("这个客户已被合并。")
    assert plain.messages == ["这个客户已被合并。"]
    assert str(plain) == "这个客户已被合并。"
    assert str(errors.Invalid(fields={"reason": "请填写原因。"})) == "请填写原因。"


def test_invalid_from_a_django_validation_error_keeps_every_message() -> None:
    converted = errors.Invalid.from_validation_error(
        ValidationError({"name": ["太长。"], NON_FIELD_ERRORS: ["重复。"]})
    )
    assert (converted.message, converted.fields) == ("重复。", {"name": ["太长。"]})
    assert errors.Invalid.from_validation_error(ValidationError("不对。")).message == "不对。"
