"""Pages of the public pool (R15): ``/pool/`` with filters and an htmx "claim" button, a lead's transfer
form ``/customers/transfer/`` and the release action used by the customer page."""

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
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from salesops.accounts.models import User
from salesops.accounts.requests import AuthedHttpRequest
from salesops.core.errors import Conflict, NotFound, PermissionDenied
from salesops.core.forms import add_errors
from salesops.customers.models import Customer, Grade
from salesops.customers.pool import services
from salesops.customers.selectors import search, search_owners
from salesops.organisation.selectors import rule_settings

PAGE_SIZE = 20
NOT_GRADED = "none"
#: The transfer form lists at most this many customers at once (narrow it by owner or search).
TRANSFER_LISTED = 200


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
    user = cast(User, request.user)
    can_claim = user.role in services.OWNER_ROLES
    context = {
        "form": form,
        "page": page,
        "query": _query_without_page(request),
        "can_claim": can_claim,
        "cap": rule_settings().pool_claim_cap,
        "claimed": services.claims_this_month(user=user) if can_claim else 0,
    }
    return render(request, "customers/pool/list.html", context)


@login_required
@require_POST
def pool_claim(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """Claim one customer; htmx gets the list item back with the outcome, a plain form a redirect."""
    customer = get_object_or_404(_active_customers(request.user), pk=pk)
    error = ""
    try:
        customer = services.customer_claim(customer=customer, by=request.user)
    except (Conflict, PermissionDenied) as exc:
        error = str(exc)
    except ValidationError as exc:
        error = " ".join(exc.messages)
    if request.headers.get("HX-Request"):
        context = {"customer": customer, "error": error, "claimed_now": not error, "can_claim": not error}
        return render(request, "customers/pool/item.html", context)
    if error:
        messages.error(request, error)
    else:
        messages.success(request, _("%(name)s is now your customer.") % {"name": customer.name})
    return redirect("pool")


@login_required
@require_POST
def customer_release_page(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """Release a customer to the pool with a reason, then back to ``next`` (a page of this site) or the pool."""
    customer = get_object_or_404(_active_customers(request.user), pk=pk)
    try:
        services.customer_release(customer=customer, by=request.user, reason=request.POST.get("reason", ""))
    except Conflict as exc:
        messages.error(request, str(exc))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("%(name)s is back in the public pool.") % {"name": customer.name})
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        return redirect(target)
    return redirect("pool")


class TransferForm(forms.Form):
    customers = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Customers"), queryset=Customer.objects.none(),
        error_messages={"invalid_choice": gettext_lazy("Some of these customers are not in your scope.")},
    )
    to_user = forms.ModelChoiceField(label=gettext_lazy("New owner"), queryset=User.objects.none())
    reason = forms.CharField(label=gettext_lazy("Reason"), max_length=services.REASON_MAX)

    def __init__(self, *args: Any, by: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["customers"].queryset = _active_customers(by)  # type: ignore[attr-defined]
        self.fields["to_user"].queryset = services.receivers(by)  # type: ignore[attr-defined]


@login_required
@require_http_methods(["GET", "POST"])
def transfer_page(request: AuthedHttpRequest) -> HttpResponse:
    """A lead (director, admin) picks customers of their teams, narrowed by owner or search, and a new owner."""
    by = request.user
    services.check_may_move(by)  # 403 for a rep
    owners = (
        User.objects.visible_to(by).filter(role__in=services.OWNER_ROLES).exclude(pk=by.pk).order_by("display_name")
    )
    owner_id = request.GET.get("owner", "")
    candidates: QuerySet[Customer] = (
        Customer.objects.visible_to(by, pool=False).active().select_related("owner").order_by("owner", "name")
    )
    if owner_id.isdigit() and len(owner_id) < 18:
        candidates = candidates.filter(owner_id=int(owner_id))
    text = request.GET.get("q", "")[:100]
    if text:
        candidates = search(candidates, text, owners=search_owners(by))
    form = TransferForm(request.POST or None, by=by)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                moved = services.customer_transfer(
                    customers=form.cleaned_data["customers"], to_user=form.cleaned_data["to_user"], by=by,
                    reason=form.cleaned_data["reason"],
                )
            except (Conflict, NotFound) as exc:
                form.add_error(None, str(exc))
            except ValidationError as exc:
                add_errors(form, exc)
            else:
                messages.success(
                    request,
                    _("%(count)d customers now belong to %(name)s.") % {
                        "count": len(moved), "name": form.cleaned_data["to_user"]},
                )
                return redirect(f"{reverse('customers-transfer')}?{request.GET.urlencode()}")
    context = {
        "form": form,
        "owners": owners,
        "owner_id": owner_id,
        "q": text,
        "candidates": candidates[:TRANSFER_LISTED],
        "listed_max": TRANSFER_LISTED,
        "chosen": {str(v) for v in request.POST.getlist("customers")},
    }
    return render(request, "customers/pool/transfer.html", context, status=status)
