"""One FilterSet per list, serving both the pages and the API."""

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from salesops.accounts.models import Role, Team, User
from salesops.core.filters import FilterSet, IdFilter, StrictBooleanFilter


class UserFilterSet(FilterSet):
    role = django_filters.ChoiceFilter(choices=Role.choices, label=_("role"))
    team = IdFilter(field_name="team_id", label=_("team"))
    is_active = StrictBooleanFilter(label=_("active"))
    q = django_filters.CharFilter(method="search", label=_("search"))

    class Meta:
        model = User
        fields = ["role", "team", "is_active"]

    def search(self, queryset: QuerySet[User], name: str, value: str) -> QuerySet[User]:
        return queryset.filter(Q(display_name__icontains=value) | Q(username__icontains=value) | Q(phone=value))


class TeamFilterSet(FilterSet):
    is_active = StrictBooleanFilter(label=_("active"))
    director = IdFilter(field_name="director_id", label=_("director"))

    class Meta:
        model = Team
        fields = ["is_active", "director"]
