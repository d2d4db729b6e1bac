"""The R9 tag line in each language: a Chinese team reads a budget in 万, an English reader the whole amount."""

from __future__ import annotations

from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.utils import translation

from salesops.customers.tagline import tag_line


@pytest.mark.parametrize(("language", "budget", "words"), [
    ("zh-hans", "1500000", "预算150万"),
    ("zh-hans", "8000", "预算8000元"),
    ("en", "1500000", "budget 1,500,000 yuan"),
    ("en", "8000", "budget 8,000 yuan"),
    ("en", "12500.50", "budget 12,500.5 yuan"),
])
def test_budget_in_the_readers_units(language, budget, words):
    company = SimpleNamespace(industry="", company_size="", decision_maker_role="", budget=Decimal(budget), focus="")
    with translation.override(language):
        assert tag_line(company) == words
