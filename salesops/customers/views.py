"""Customer pages (mobile first): the list with filters and saved views, the detail with its timeline
(R11, R12), and the new / edit forms, which refuse duplicates (R15). Rows only via ``visible_to`` (R1)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from salesops.accounts.models import Team, User
from salesops.accounts.requests import AuthedHttpRequest
from salesops.accounts.rules import is_manager
from salesops.core.errors import Conflict
from salesops.core.filters import MAX_ID
from salesops.core.paging import COUNT_CAP, IdsFirstPaginator
from salesops.core.scope import scope_of
from salesops.customers import selectors, services
from salesops.customers.filters import CustomerFilterSet
from salesops.customers.forms import ContactForm, CustomerForm
from salesops.customers.models import Contact, Customer

PAGE_SIZE = 50


def _saved_views(user: User) -> list[tuple[str, str]]:
    """Saved views as plain links with query strings."""
    return [
        (_("My customers"), f"owner={user.pk}"),
        (_("Due today"), "due_today=true"),
        (_("Overdue"), "overdue=true"),
        (_("Grade A"), "grade=A"),
        (_("Public pool"), "pool=true"),
    ]


@login_required
def customer_list(request: AuthedHttpRequest) -> HttpResponse:
    user = request.user
    pool = CustomerFilterSet.wants_pool(request.GET)
    filterset = CustomerFilterSet(request.GET, queryset=selectors.customer_list(user=user, pool=pool), request=request)
    if not filterset.is_valid():
        messages.error(request, _("Some filters were not valid and were ignored."))
        pool = False
        filterset = CustomerFilterSet({}, queryset=selectors.customer_list(user=user, pool=pool), request=request)
    paginator = IdsFirstPaginator(
        filterset.qs, PAGE_SIZE, rows=lambda ids: selectors.customer_page_rows(user=user, pool=pool, ids=ids),
        count_cap=COUNT_CAP,
    )
    page = paginator.get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    current = query.urlencode()
    return render(request, "customers/list.html", {
        "page": page,
        "filter": filterset,
        "query": current,
        "saved_views": [(label, qs, qs == current) for label, qs in _saved_views(user)],
        "teams": Team.objects.visible_to(user).active().order_by("name") if is_manager(user) else [],
        "can_move": user.has_perm("customers.move_customers"),
    })


def _visible_customer(request: AuthedHttpRequest, pk: int) -> Customer:
    if pk > MAX_ID:  # a number past the id range is simply not there (no overflow 500)
        raise Http404
    customer = selectors.customer_detail(user=request.user).filter(pk=pk).first()
    if customer is None:
        raise Http404
    return customer


@login_required
def customer_detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    customer = _visible_customer(request, pk)
    return render(request, "customers/detail.html", {
        "customer": customer,
        "contacts": customer.active_contacts,  # type: ignore[attr-defined]
        "timeline": selectors.customer_timeline(customer=customer, user=user),
        "can_edit": user.has_perm("customers.change_customer", customer),
        "can_transfer": user.has_perm("customers.transfer_customer", customer),
        # R15: the owner releases, and so do the people who manage the owner
        "can_release": customer.owner_id is not None and (
            customer.owner_id == user.pk or scope_of(user).manages(customer.owner_id)
        ),
        "contact_form": ContactForm(),
    })


def _duplicate_context(error: Conflict) -> dict[str, Any]:
    """R15 on the form: the same company (described as ``duplicates.describe`` lets the user see it, R1) or
    the near matches, with a button to create the customer anyway."""
    if error.code == "possible_duplicate":
        return {"candidates": error.extra.get("candidates", []), "conflict": error.message}
    return {"duplicate": error.extra.get("duplicate_of", {}), "conflict": error.message}


def _stale_context(form: CustomerForm, customer: Customer, read: int) -> dict[str, Any]:
    """Someone else saved the customer after the editor read version ``read``: what they changed (R12), and
    the form rebased on the current customer, keeping what the editor typed (``CustomerForm.rebase``)."""
    fresh = Customer.objects.get(pk=customer.pk)
    current = selectors.customer_values(fresh, list(fresh.tags.values_list("name", flat=True)))
    base = selectors.customer_values_at(customer=fresh, version=read) or current
    both = form.rebase(base=base, current=current, version=fresh.version)
    return {
        "stale_changes": selectors.customer_changes(customer=fresh, since_version=read),
        "stale_both": [str(form.fields[name].label) for name in both],
    }


def _form_page(request: AuthedHttpRequest, customer: Customer | None) -> HttpResponse:
    user = request.user
    creating = customer is None
    initial: dict[str, Any] = {}
    if customer is not None:
        initial = selectors.customer_values(customer, [t.name for t in customer.tags.all()])
        initial["tags"] = ", ".join(initial["tags"])
        initial["version"] = customer.version
    form = CustomerForm(request.POST or None, initial=initial, user=user, creating=creating)
    context: dict[str, Any] = {"form": form, "customer": customer}
    if request.method == "POST" and form.is_valid():
        try:
            if customer is None:
                saved = services.customer_create(by=user, **form.service_fields())
            else:
                data = form.service_fields()
                data.pop("confirm_new", None)
                saved = services.customer_update(customer=customer, by=user, **data)
        except ValidationError as error:
            form.add_service_errors(error)
        except Conflict as error:
            if error.code == "stale" and customer is not None:
                context.update(_stale_context(form, customer, form.cleaned_data["version"]))
            else:
                context.update(_duplicate_context(error))
        else:
            messages.success(request, _("Customer saved."))
            return HttpResponseRedirect(reverse("customer-detail", args=[saved.pk]))
    return render(request, "customers/form.html", context, status=400 if request.method == "POST" else 200)


@login_required
def customer_create(request: AuthedHttpRequest) -> HttpResponse:
    return _form_page(request, None)


@login_required
def customer_edit(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    customer = _visible_customer(request, pk)
    services.check_may_edit(customer=customer, by=request.user)
    return _form_page(request, customer)


@login_required
@require_POST
def contact_create(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    customer = _visible_customer(request, pk)
    form = ContactForm(request.POST)
    if form.is_valid():
        try:
            services.contact_create(customer=customer, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_service_errors(error)
    if form.errors:
        messages.error(request, " ".join(str(m) for errors in form.errors.values() for m in errors))
    else:
        messages.success(request, _("Contact added."))
    return HttpResponseRedirect(reverse("customer-detail", args=[customer.pk]))


@login_required
@require_POST
def contact_deactivate(request: AuthedHttpRequest, pk: int, contact_id: int) -> HttpResponse:
    customer = _visible_customer(request, pk)
    if contact_id > MAX_ID:
        raise Http404
    contact = get_object_or_404(Contact, pk=contact_id, customer=customer, is_active=True)
    services.contact_deactivate(contact=contact, by=request.user)
    messages.success(request, _("Contact removed."))
    return HttpResponseRedirect(reverse("customer-detail", args=[customer.pk]))


@login_required
@require_POST
def customer_deactivate(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    customer = _visible_customer(request, pk)
    services.customer_deactivate(customer=customer, by=request.user)
    messages.success(request, _("Customer deleted: it no longer shows in lists; its history is kept."))
    return HttpResponseRedirect(reverse("customers"))
