"""The one pager every paginated page includes keeps the list's filters on its links."""

from django.core.paginator import Paginator
from django.template.loader import render_to_string


def test_pager_links_keep_the_filters_and_number_the_pages():
    page = Paginator(list(range(120)), 50).get_page(2)
    html = render_to_string("core/_pager.html", {"page": page, "query": "grade=A&q=hw"})
    assert 'href="?grade=A&amp;q=hw&amp;page=1"' in html
    assert 'href="?grade=A&amp;q=hw&amp;page=3"' in html


def test_pager_without_filters_and_on_a_single_page():
    page = Paginator(list(range(120)), 50).get_page(3)
    html = render_to_string("core/_pager.html", {"page": page})
    assert 'href="?page=2"' in html
    assert "page=4" not in html
    assert render_to_string("core/_pager.html", {"page": Paginator([1], 50).get_page(1)}).strip() == ""
