"""Pages of the public pool (R15): ``/pool/`` with filters and an htmx "claim" button and the release
page (reason and confirmation) of the customer page (the transfer pages are in ``transfer_views``)."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from salesops.accounts.models import User
from salesops.accounts.requests import AuthedHttpRequest
from salesops.core.errors import Conflict, PermissionDenied
from salesops.core.forms import add_errors
from salesops.customers.models import Customer, Grade
from salesops.customers.pool import services
from salesops.customers.selectors import pool_returns_attach, search
from salesops.organisation.selectors import rule_settings

PAGE_SIZE = 20
NOT_GRADED = "none"


class PoolFilterForm(forms.Form):
    grade = forms.ChoiceField(
        label=gettext_lazy("Grade"), required=False,
        choices=[("", gettext_lazy("All grades")), *Grade.choices, (NOT_GRADED, gettext_lazy("Not graded"))],
    )
    industry = forms.CharField(label=gettext_lazy("Industry"), required=False, max_length=40)
    q = forms.CharField(label=gettext_lazy("Name, phone or pinyin initials"), required=False, max_length=100)


def _active_customers(user: Any) -> QuerySet[Customer]:
    return Customer.objects.visible_to(user).filter(is_active=True)


def _query_without_page(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


@login_required
@require_http_methods(["GET"])
def pool_list(request: HttpRequest) -> HttpResponse:
    """The public pool, most recently returned first, filtered by grade, industry and search."""
    form = PoolFilterForm(request.GET)
    customers: QuerySet[Customer] = (
        Customer.objects.visible_to(request.user, pool=True).active().order_by("-updated_at", "-id")
    )
    if form.is_valid():
        grade = form.cleaned_data["grade"]
        if grade == NOT_GRADED:
            customers = customers.filter(grade__isnull=True)
        elif grade:
            customers = customers.filter(grade=grade)
        if form.cleaned_data["industry"]:
            customers = customers.filter(industry=form.cleaned_data["industry"].strip())
        if form.cleaned_data["q"]:
            customers = search(customers, form.cleaned_data["q"], pool=True)
    page = Paginator(customers, PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = list(page.object_list)
    pool_returns_attach(page.object_list)
    user = cast(User, request.user)
    can_claim = user.role in services.OWNER_ROLES
    context = {
        "form": form,
        "page": page,
        "query": _query_without_page(request),
        "can_claim": can_claim,
        **_claims_used(user, can_claim),
    }
    return render(request, "customers/pool/list.html", context)


def _claims_used(user: User, can_claim: bool) -> dict[str, int]:
    """What the "claimed N of the cap this month" line says (R15)."""
    return {"cap": rule_settings().pool_claim_cap, "claimed": services.claims_this_month(user=user) if can_claim else 0}


@login_required
@require_POST
def pool_claim(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """Claim one customer; htmx gets the list item back with the outcome, a plain form a redirect."""
    customer = services.claim_target(pk=pk, by=request.user)
    error = ""
    try:
        customer = services.customer_claim(customer=customer, by=request.user)
    except (Conflict, PermissionDenied) as exc:
        error = str(exc)
    except ValidationError as exc:
        error = " ".join(exc.messages)
    if request.headers.get("HX-Request"):  # the item with the outcome, and the claimed count at once
        # A customer someone else has just claimed shows its name and the outcome only (R1).
        lost = bool(error) and not _active_customers(request.user).filter(pk=customer.pk).exists()
        context = {"customer": customer, "error": error, "claimed_now": not error, "can_claim": not error,
                   "count_swap": True, "lost": lost, **_claims_used(request.user, True)}
        return render(request, "customers/pool/item.html", context)
    if error:
        messages.error(request, error)
    else:
        messages.success(request, _("%(name)s is now your customer.") % {"name": customer.name})
    return redirect("pool")


class ReleaseForm(forms.Form):
    """The reason is required and checked by the service (R15), the one place that rule lives."""

    reason = forms.CharField(
        label=gettext_lazy("Why does this customer go back to the pool?"), required=False, strip=False,
        widget=forms.Textarea(attrs={"rows": 3, "required": True, "maxlength": services.REASON_MAX}),
        help_text=gettext_lazy("Kept in the customer's history and shown in the pool."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def customer_release_page(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """R15: the confirm page of a release, with its reason (required); the release itself is the POST,
    then the customer's page with the outcome."""
    customer = get_object_or_404(_active_customers(request.user), pk=pk)
    form = ReleaseForm(request.POST or None)
    if customer.owner_id is None:
        messages.info(request, _("This customer is in the public pool already."))
        return redirect("customer-detail", pk=customer.pk)
    if request.method == "POST" and form.is_valid():
        try:
            services.customer_release(customer=customer, by=request.user, reason=form.cleaned_data["reason"])
        except Conflict as exc:  # released by someone else meanwhile
            messages.error(request, str(exc))
            return redirect("customer-detail", pk=customer.pk)
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("%(name)s is back in the public pool.") % {"name": customer.name})
            return redirect("customer-detail", pk=customer.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "customers/pool/release.html", {"customer": customer, "form": form}, status=status)
