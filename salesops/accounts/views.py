"""Pages for logging in and out, the user's own account and language, and the people directory."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from knox.models import AuthToken

from salesops.accounts import handover, services
from salesops.accounts.filters import UserFilterSet
from salesops.accounts.forms import DeactivateForm, LoginForm
from salesops.accounts.models import Language, Team, User
from salesops.accounts.requests import AuthedHttpRequest
from salesops.accounts.services import user_set_language
from salesops.core.api import error_body
from salesops.core.errors import PermissionDenied
from salesops.core.forms import add_errors


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
    if isinstance(request.user, User) and request.user.is_authenticated:
        try:
            user_set_language(user=request.user, language=language)
        except ValidationError:
            language = settings.LANGUAGE_CODE
    target = request.POST.get("next") or request.headers.get("referer") or reverse("home")
    hosts = {request.get_host()}
    if not url_has_allowed_host_and_scheme(target, allowed_hosts=hosts, require_https=request.is_secure()):
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
    tokens = AuthToken.objects.filter(user=request.user).order_by("-created")
    return render(request, "accounts/account.html", {"languages": Language.choices, "tokens": tokens})


@login_required
@require_POST
def token_revoke(request: AuthedHttpRequest, key: str) -> HttpResponse:
    """Revoke one of the caller's own API tokens (someone else's is not found)."""
    services.token_revoke(user=request.user, key=key)
    messages.success(request, _("The token %(key)s… no longer works.") % {"key": key})
    return redirect("account")


@login_required
def people(request: HttpRequest) -> HttpResponse:
    """Teams in the viewer's scope (R1) with lead, director and head count, and the people of one team or
    of a search, 50 a page, so the page stays fast for a director over a hundred teams."""
    teams = (
        Team.objects.visible_to(request.user)
        .active()
        .select_related("lead", "director")
        .annotate(member_count=Count("members", filter=Q(members__is_active=True)))
        .order_by("name")
    )
    filterset = UserFilterSet(request.GET or None, queryset=User.objects.visible_to(request.user))
    if filterset.is_bound and not filterset.is_valid():
        messages.error(request, _("Some filters were not valid and were ignored."))
    searching = filterset.is_bound and filterset.is_valid() and any(filterset.form.cleaned_data.values())
    if searching:
        members = filterset.qs
    elif len(teams) == 1:
        members = User.objects.visible_to(request.user).filter(team=teams[0], is_active=True)
    else:
        members = User.objects.none()
    page = Paginator(members.select_related("team").order_by("team__name", "role", "display_name"), 50).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "accounts/people.html",
        {"teams": teams, "page": page, "filter": filterset, "showing_people": searching or len(teams) == 1,
         "query": query.urlencode()},
    )


@login_required
@require_http_methods(["GET", "POST"])
def person_deactivate(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """R15: an admin deactivates a person, choosing who takes over their customers and open work (a person,
    the team's lead or the public pool); the page says what they still hold."""
    if not request.user.has_perm("accounts.manage_people"):
        raise PermissionDenied(_("Only an admin may deactivate people."))
    person = get_object_or_404(User.objects.visible_to(request.user).select_related("team"), pk=pk)
    form = DeactivateForm(request.POST if request.method == "POST" else None, person=person, by=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            done = services.user_deactivate(user=person, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            moved = handover.describe({name: count for name, count in done.moved.items() if count})
            text = _("%(name)s is deactivated.") % {"name": person}
            if moved:
                text += " " + _("Moved: %(work)s.") % {"work": moved}
            messages.success(request, text)
            return redirect(f"{reverse('people')}?{urlencode({'q': person.username})}")
    context = {"person": person, "form": form, "held": handover.describe(handover.open_work_of(person))}
    return render(request, "accounts/deactivate.html", context, status=400 if form.errors else 200)


def lockout(request: HttpRequest, original_response: HttpResponse | None, credentials: dict | None) -> HttpResponse:
    """What a locked-out login gets (django-axes): JSON in the API's error shape, the lockout page elsewhere."""
    message = _("Too many failed logins: this account is locked for a while. Ask an admin to unlock it.")
    if request.path.startswith("/api/"):
        return JsonResponse(error_body("locked_out", message), status=429)
    return render(request, "accounts/lockout.html", {"message": message}, status=429)
