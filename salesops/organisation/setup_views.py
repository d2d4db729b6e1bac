"""First-run set-up pages (being built)."""
from django.http import HttpRequest, HttpResponse


def setup(request: HttpRequest) -> HttpResponse:
    return HttpResponse("setup")
