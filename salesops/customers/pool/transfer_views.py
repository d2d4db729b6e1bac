"""Transfer pages (R15): one customer from its page (new owner and reason), and many from a filtered list
(owner, grade, overdue, search) with every row of the filtered result chosen at once if wanted. The new
owner is chosen among the people the user manages (R1), never the current owner."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods

from salesops.accounts.models import User
from salesops.accounts.requests import AuthedHttpRequest
from salesops.core.errors import Conflict, NotFound, PermissionDenied
from salesops.core.filters import MAX_ID
from salesops.core.forms import add_errors
from salesops.customers.filters import CustomerFilterSet
from salesops.customers.models import Customer
from salesops.customers.pool import services
from salesops.customers.selectors import customer_list

#: The list form shows at most this many customers; "all matching" takes the whole filtered result.
TRANSFER_LISTED = 200
#: The list's filters (CustomerFilterSet's names) the transfer page offers and keeps across the post.
FILTERS = ("owner", "grade", "overdue", "q")


class TransferForm(forms.Form):
    """New owner and reason; ``all`` only on the list page, whose chosen rows are read by ``_chosen``."""

    all = forms.BooleanField(label=gettext_lazy("Every customer matching the filters"), required=False)
    to_user = forms.ModelChoiceField(label=gettext_lazy("New owner"), queryset=User.objects.none())
    reason = forms.CharField(
        label=gettext_lazy("Reason"), max_length=services.REASON_MAX,
        help_text=gettext_lazy("Kept in the customer's history."),
    )

    def __init__(self, *args: Any, by: User, owner_id: int | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["to_user"].queryset = services.receivers(by, owner_id=owner_id).order_by(  # type: ignore[attr-defined]
            "display_name", "pk"
        )
        self.fields["to_user"].empty_label = gettext_lazy("Choose the new owner")  # type: ignore[attr-defined]


def _transfer(request: AuthedHttpRequest, form: TransferForm, customers: list[Customer]) -> list[Customer] | None:
    """Call the service; its refusals go on the form (None)."""
    try:
        return services.customer_transfer(
            customers=customers, to_user=form.cleaned_data["to_user"], by=request.user,
            reason=form.cleaned_data["reason"],
        )
    except (Conflict, NotFound) as exc:
        form.add_error(None, str(exc))
    except ValidationError as exc:
        add_errors(form, exc)
    return None


def _done(request: AuthedHttpRequest, moved: list[Customer], to_user: User) -> None:
    messages.success(request, ngettext(
        "%(count)d customer now belongs to %(name)s.", "%(count)d customers now belong to %(name)s.", len(moved)
    ) % {"count": len(moved), "name": to_user})


@login_required
@require_http_methods(["GET", "POST"])
def customer_transfer_page(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """Transfer one customer from its page: who gets it and why; back to the customer with the outcome."""
    by = request.user
    if pk > MAX_ID:
        raise Http404
    customer = customer_list(user=by).filter(pk=pk).first()
    if customer is None:
        raise Http404
    if not by.has_perm("customers.transfer_customer", customer):
        raise PermissionDenied(_("Only the owner's team lead or director, or an admin, may transfer this customer."))
    form = TransferForm(request.POST or None, by=by, owner_id=customer.owner_id)
    if request.method == "POST" and form.is_valid():
        moved = _transfer(request, form, [customer])
        if moved is not None:
            _done(request, moved, form.cleaned_data["to_user"])
            return redirect("customer-detail", pk=customer.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "customers/pool/transfer_one.html", {"customer": customer, "form": form}, status=status)


def _filtered(request: AuthedHttpRequest) -> tuple[CustomerFilterSet, QuerySet[Customer]]:
    """The customers the list page's filters choose, within the user's scope (R1), owned ones only."""
    data = {name: request.GET[name] for name in FILTERS if request.GET.get(name)}
    filterset = CustomerFilterSet(data, queryset=customer_list(user=request.user, pool=False), user=request.user)
    if not filterset.is_valid():
        filterset = CustomerFilterSet({}, queryset=customer_list(user=request.user, pool=False), user=request.user)
    queryset = filterset.qs
    if "owner" not in data:
        queryset = queryset.order_by("owner__display_name", "owner_id", "name", "pk")
    return filterset, queryset


def _chosen(request: AuthedHttpRequest) -> list[Customer]:
    """The rows ticked on the list page; one outside the user's scope (or no such id) is a 404 (R1)."""
    values = request.POST.getlist("customers")
    if not all(value.isdigit() and int(value) <= MAX_ID for value in values):
        raise Http404
    ids = {int(value) for value in values}
    chosen = list(Customer.objects.visible_to(request.user).active().filter(pk__in=ids).only("pk"))
    if len(chosen) != len(ids):
        raise Http404
    return chosen


def _owner_filter(filterset: CustomerFilterSet) -> int | None:
    owner = filterset.form.cleaned_data.get("owner") if filterset.is_bound else None
    return int(owner) if owner else None


@login_required
@require_http_methods(["GET", "POST"])
def transfer_page(request: AuthedHttpRequest) -> HttpResponse:
    """A lead (director, admin) narrows their teams' customers by owner, grade, overdue or search, picks
    rows or every customer matching, and a new owner with the reason."""
    by = request.user
    services.check_may_move(by)  # 403 for a rep
    filterset, candidates = _filtered(request)
    form = TransferForm(request.POST or None, by=by, owner_id=_owner_filter(filterset))
    count = candidates.count()
    ticked = _chosen(request) if request.method == "POST" else []  # first: an id out of scope is a 404
    if request.method == "POST" and form.is_valid():
        if form.cleaned_data["all"]:
            chosen = list(candidates.values_list("pk", flat=True)[: services.TRANSFER_MAX + 1])
            customers = [Customer(pk=pk) for pk in chosen]
        else:
            customers = ticked
        moved = _transfer(request, form, customers) if customers else None
        if not customers:
            form.add_error(None, _("Choose at least one customer."))
        if moved is not None:
            _done(request, moved, form.cleaned_data["to_user"])
            return redirect(f"{reverse('customers-transfer')}?{request.GET.urlencode()}")
    status = 400 if request.method == "POST" else 200
    owners = User.objects.visible_to(by).filter(role__in=services.OWNER_ROLES).order_by("display_name", "pk")
    context = {
        "form": form,
        "filter": filterset,
        "owners": owners,
        "candidates": list(candidates.select_related("owner")[:TRANSFER_LISTED]),
        "count": count,
        "listed_max": TRANSFER_LISTED,
        "transfer_max": services.TRANSFER_MAX,
        "chosen": {str(v) for v in request.POST.getlist("customers")},
    }
    return render(request, "customers/pool/transfer.html", context, status=status)
