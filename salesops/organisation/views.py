"""Pages for rule settings and the working calendar (being built)."""
from django.http import HttpRequest, HttpResponse


def rule_settings_page(request: HttpRequest) -> HttpResponse:
    return HttpResponse("rules")


def calendar_page(request: HttpRequest) -> HttpResponse:
    return HttpResponse("calendar")
