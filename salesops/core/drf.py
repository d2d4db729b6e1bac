"""Classes named in REST_FRAMEWORK settings, kept apart from core.api: DRF imports these while it
loads its own views, so this module must not import rest_framework.views."""

from functools import partial
from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _
from knox.auth import TokenAuthentication
from rest_framework import parsers
from rest_framework.exceptions import ParseError
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response

from salesops.core.paging import COUNT_CAP, IdsFirstPaginator


class LanguageTokenAuthentication(TokenAuthentication):  # type: ignore[misc]
    """API tokens (django-rest-knox: several per person, stored as digests) that also answer in the
    user's stored language (zh-Hans by default). A deactivated person's tokens are refused."""

    def validate_user(self, auth_token: Any) -> tuple[Any, Any]:
        user, token = super().validate_user(auth_token)
        translation.activate(user.language)
        return user, token


class Pagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


class IdsFirstPagination(Pagination):
    """``Pagination`` that reads a page's ids first (``core.paging``), for a view that names ``page_rows(ids)``,
    and counts up to ``COUNT_CAP`` rows (or to the end of the page asked for): past it, ``count`` is that
    many and ``count_capped`` is true: more rows match, and ``next`` goes on while they do."""

    def paginate_queryset(self, queryset: Any, request: Any, view: Any = None) -> list[Any] | None:
        self.django_paginator_class = partial(  # type: ignore[assignment]
            IdsFirstPaginator, rows=view.page_rows, count_cap=COUNT_CAP
        )
        return super().paginate_queryset(queryset, request, view)

    def get_paginated_response(self, data: Any) -> Response:
        assert self.page is not None
        paginator = self.page.paginator
        assert isinstance(paginator, IdsFirstPaginator)
        return Response({
            "count": paginator.shown_count,
            "count_capped": paginator.capped,
            "next": self.get_next_link(),
            "previous": self.get_previous_link(),
            "results": data,
        })

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        answer = super().get_paginated_response_schema(schema)
        answer["properties"]["count"]["description"] = (
            f"How many match; when count_capped, more than this many (the list counts up to {COUNT_CAP} rows, or "
            "to the end of the page asked for)."
        )
        answer["properties"] = {
            "count": answer["properties"]["count"],
            "count_capped": {"type": "boolean", "example": False, "description": (
                "True when more rows match than count says: count is then a lower bound, and next goes on while "
                "rows remain."
            )},
            **{name: value for name, value in answer["properties"].items() if name != "count"},
        }
        answer["required"] = ["count", "count_capped", "results"]
        return answer


#: How deeply a JSON body may nest: the API's bodies are two or three levels deep; a body nested thousands
#: of levels deep would otherwise exhaust Python's recursion limit (a RecursionError 500) in the parser
#: or in whatever walks the data afterwards.
MAX_JSON_DEPTH = 32


def json_depth_exceeds(data: Any, limit: int) -> bool:
    """Whether ``data`` (parsed JSON) nests more than ``limit`` lists or objects deep; walked without
    recursion, so any depth is safe to check."""
    pending: list[tuple[Any, int]] = [(data, 1)]
    while pending:
        value, depth = pending.pop()
        if not isinstance(value, dict | list):
            continue
        if depth > limit:
            return True
        pending.extend((item, depth + 1) for item in (value.values() if isinstance(value, dict) else value))
    return False


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser with a depth limit: a body nested deeper than ``MAX_JSON_DEPTH`` is a 400
    ``parse_error`` in the error shape, never a RecursionError 500. Every API view parses JSON with this
    one (``DEFAULT_PARSER_CLASSES``; views that name their parsers name this one)."""

    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise _too_deep() from None
        if json_depth_exceeds(data, MAX_JSON_DEPTH):
            raise _too_deep()
        return data


def _too_deep() -> ParseError:
    return ParseError(_("The JSON body is nested too deeply (at most %(depth)d levels).") % {"depth": MAX_JSON_DEPTH})
