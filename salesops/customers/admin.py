"""Management pages for customers, contacts and tags: history on every change (R12), nothing deleted.
Saves go through the customer services, so duplicates (R15), keys and grade reasons (R8) follow the
same rules as in the app; the form shows their errors before anything is saved."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from salesops.accounts.models import User
from salesops.accounts.requests import person_of
from salesops.core.errors import Conflict
from salesops.core.forms import add_errors
from salesops.customers import services
from salesops.customers.models import Contact, Customer, Tag

CUSTOMER_FIELDS = [
    "name", "phone", "credit_code", "address", "industry", "company_size", "decision_maker_role", "budget",
    "focus", "grade", "grade_reason", "status",
]
CONTACT_FIELDS = ["name", "title", "phone", "wechat", "email", "decision_role", "is_primary"]


class CustomerAdminForm(forms.ModelForm):  # type: ignore[type-arg]
    by: User
    confirm_new = forms.BooleanField(
        label=_("Create anyway"), required=False,
        help_text=_("Customers with a similar name exist: tick to create this one as another company."),
    )

    class Meta:
        model = Customer
        fields = [*CUSTOMER_FIELDS, "owner", "tags"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["owner"].disabled = True  # ownership changes through claim, release and transfer (R15)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        fields: dict[str, Any] = {f: data.get(f) for f in CUSTOMER_FIELDS if f in data}
        try:
            services.customer_check(by=self.by, customer=self.instance if self.instance.pk else None,
                                    confirm_new=bool(data.get("confirm_new")), **fields)
        except ValidationError as error:
            add_errors(self, error)
        except Conflict as error:
            self.add_error(None, str(error))
        return data


class NoDeleteAdmin(SimpleHistoryAdmin):  # type: ignore[misc]
    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ContactInline(admin.TabularInline):  # type: ignore[type-arg]
    model = Contact
    fields = ("name", "title", "phone", "wechat", "email", "decision_role", "is_primary", "is_active")
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Customer)
class CustomerAdmin(NoDeleteAdmin):
    form = CustomerAdminForm
    list_display = ["name", "grade", "status", "owner", "industry", "next_due_at", "is_active", "updated_at"]
    list_filter = ["grade", "status", "is_active", "owner__team"]
    search_fields = ["name_key"]
    list_select_related = ["owner"]
    autocomplete_fields = ["tags"]
    inlines = [ContactInline]
    show_full_result_count = False
    actions = ["deactivate"]

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        form = super().get_form(request, obj, change=change, **kwargs)
        return type("BoundCustomerAdminForm", (form,), {"by": request.user})

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[Customer], search_term: str
    ) -> tuple[QuerySet[Customer], bool]:
        """Search by any part on the indexed search words, like the app (R15), not by scanning names."""
        from salesops.customers.selectors import search

        return (search(queryset, search_term) if search_term else queryset), False

    def save_model(self, request: HttpRequest, obj: Customer, form: Any, change: bool) -> None:
        data: dict[str, Any] = {f: form.cleaned_data.get(f) for f in CUSTOMER_FIELDS}
        tags = [t.name for t in form.cleaned_data.get("tags", [])]
        by = person_of(request)
        if change:
            saved = services.customer_update(customer=obj, by=by, tags=tags, **data)
        else:
            saved = services.customer_create(by=by, owner=form.cleaned_data.get("owner"), tags=tags,
                                             confirm_new=bool(form.cleaned_data.get("confirm_new")), **data)
        obj.pk = saved.pk
        obj.refresh_from_db()

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        """Tags were set by the service, with their history; contacts are read-only here."""

    @admin.action(description=_("Delete the selected customers (history is kept)"))
    def deactivate(self, request: HttpRequest, queryset: QuerySet[Customer]) -> None:
        done = 0
        for customer in queryset.filter(is_active=True):
            try:
                services.customer_deactivate(customer=customer, by=person_of(request))
                done += 1
            except PermissionDenied as error:
                self.message_user(request, f"{customer}: {error}", messages.ERROR)
        self.message_user(request, _("%(n)d customers deleted.") % {"n": done}, messages.SUCCESS)


class ContactAdminForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Contact
        fields = ["customer", *CONTACT_FIELDS]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        try:
            services.phone_key(data.get("phone") or "")
        except ValidationError as error:
            self.add_error("phone", error.message_dict["phone"])
        return data


@admin.register(Contact)
class ContactAdmin(NoDeleteAdmin):
    form = ContactAdminForm
    list_display = ["name", "customer", "title", "phone", "decision_role", "is_active"]
    list_filter = ["decision_role", "is_active"]
    search_fields = ["phone_key"]
    list_select_related = ["customer"]
    raw_id_fields = ["customer"]
    actions = ["deactivate"]

    def save_model(self, request: HttpRequest, obj: Contact, form: Any, change: bool) -> None:
        data = {f: form.cleaned_data.get(f) for f in CONTACT_FIELDS}
        by = person_of(request)
        if change:
            services.contact_update(contact=obj, by=by, **data)
        else:
            obj.pk = services.contact_create(customer=form.cleaned_data["customer"], by=by, **data).pk

    @admin.action(description=_("Remove the selected contacts (history is kept)"))
    def deactivate(self, request: HttpRequest, queryset: QuerySet[Contact]) -> None:
        for contact in queryset.filter(is_active=True).select_related("customer"):
            services.contact_deactivate(contact=contact, by=person_of(request))


@admin.register(Tag)
class TagAdmin(NoDeleteAdmin):
    list_display = ["name"]
    search_fields = ["name"]
