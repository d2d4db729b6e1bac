"""Pages for logging in and out, the user's own account and language, and the people directory."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Prefetch, Q
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from salesops.accounts.filters import UserFilterSet
from salesops.accounts.forms import LoginForm
from salesops.accounts.models import Language, Team, User
from salesops.accounts.services import user_set_language


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Switch the interface language: stored on the user when logged in, in a cookie otherwise."""
    language = request.POST.get("language", "")
    if language not in Language.values:
        language = settings.LANGUAGE_CODE
    if request.user.is_authenticated:
        try:
            user_set_language(user=request.user, language=language)  # type: ignore[arg-type]
        except ValidationError:
            language = settings.LANGUAGE_CODE
    target = request.POST.get("next") or request.headers.get("referer") or reverse("home")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        target = reverse("home")
    translation.activate(language)
    response = HttpResponseRedirect(target)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME, language, max_age=365 * 24 * 3600, samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE, httponly=True,
    )
    return response


@login_required
def account(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/account.html", {"languages": Language.choices})


@login_required
def people(request: HttpRequest) -> HttpResponse:
    """Teams and their people in the viewer's scope (R1), with a member count per team."""
    people_qs = User.objects.visible_to(request.user).select_related("team")
    filterset = UserFilterSet(request.GET or None, queryset=people_qs)
    members = filterset.qs if filterset.is_bound and filterset.is_valid() else people_qs.filter(is_active=True)
    teams = (
        Team.objects.visible_to(request.user)
        .active()
        .select_related("lead", "director")
        .annotate(member_count=Count("members", filter=Q(members__is_active=True)))
        .prefetch_related(Prefetch("members", queryset=members.order_by("role", "display_name"), to_attr="shown"))
    )
    others = members.filter(team__isnull=True)
    if not filterset.is_valid():
        messages.error(request, _("Some filters were not valid and were ignored."))
    return render(request, "accounts/people.html", {"teams": teams, "others": others, "filter": filterset})
