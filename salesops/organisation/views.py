"""Pages for the organisation (placeholder until built)."""
from django.http import HttpRequest, HttpResponse


def setup(request: HttpRequest) -> HttpResponse:
    return HttpResponse("setup")


def rule_settings_page(request: HttpRequest) -> HttpResponse:
    return HttpResponse("rules")


def calendar_page(request: HttpRequest) -> HttpResponse:
    return HttpResponse("calendar")
