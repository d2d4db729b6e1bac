"""Classes named in REST_FRAMEWORK settings, kept apart from core.api: DRF imports these while it
loads its own views, so this module must not import rest_framework.views."""

from functools import partial
from typing import Any

from django.utils import translation
from rest_framework.authentication import TokenAuthentication
from rest_framework.pagination import PageNumberPagination

from salesops.core.paging import IdsFirstPaginator


class LanguageTokenAuthentication(TokenAuthentication):
    """Token auth that also answers in the user's stored language (zh-Hans by default)."""

    def authenticate_credentials(self, key: str) -> tuple[Any, Any]:
        user, token = super().authenticate_credentials(key)
        translation.activate(user.language)
        return user, token


class Pagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


class IdsFirstPagination(Pagination):
    """``Pagination`` that reads a page's ids first (``core.paging``), for a view that names ``page_rows(ids)``."""

    def paginate_queryset(self, queryset: Any, request: Any, view: Any = None) -> list[Any] | None:
        self.django_paginator_class = partial(IdsFirstPaginator, rows=view.page_rows)  # type: ignore[assignment]
        return super().paginate_queryset(queryset, request, view)
