"""Reading a page as a browser would: the fields of its form as they are sent back."""

from __future__ import annotations

import re


def form_of(page: str, *, start: str = "") -> dict[str, str]:
    """The form's fields as the browser sends them back (inputs and the selected options), read from
    ``start`` (a marker of the form in the page) onwards; without the CSRF token."""
    form = page[page.index(start):] if start else page
    fields = dict(re.findall(r'<input[^>]*name="([a-z_]+)"[^>]*value="([^"]*)"', form))
    for name, body in re.findall(r'<select name="([a-z_]+)"[^>]*>(.*?)</select>', form, re.S):
        chosen = re.search(r'<option value="([^"]*)" selected', body)
        fields[name] = chosen.group(1) if chosen else ""
    fields.pop("csrfmiddlewaretoken", None)
    return fields
