"""Filters shared by every app's FilterSet (one FilterSet serves the page and the API)."""

from django import forms
from django_filters import NumberFilter

MAX_ID = 2**63 - 1


class IdFilter(NumberFilter):
    """A row id in a query string: a whole number within the database's id range, else a 400 field error."""

    field_class = forms.IntegerField

    def __init__(self, *args: object, **kwargs: object) -> None:
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)
