"""Paging long lists without counting all of them.

A county's front door queue or a team manager's agency-wide home page can hold 10,000-17,000
rows; Django's ``Paginator`` counts every one of them on every page view to print "Page 1 of
340", a second pass over all of them for every page (docs/benchmarks.md). Nobody pages that far:
counting a few pages past the one asked for is enough to offer "Next" and to say
"Page 3 of 13 or more".
"""

from __future__ import annotations

from typing import Any

from django.core.paginator import Page, Paginator
from django.utils.functional import cached_property


class CappedPaginator(Paginator):
    """A ``Paginator`` that counts at most ``pages_ahead`` pages beyond the page asked for.

    ``more`` is true when rows lie beyond the counted pages; templates then say "or more".
    """

    def __init__(self, object_list: Any, per_page: int, *, pages_ahead: int = 10) -> None:
        """``object_list``: a queryset, or anything that slices, counts and has ``order_by``
        (``people.selectors.ChildrenInNameOrder``)."""
        super().__init__(object_list, per_page)
        self.pages_ahead = pages_ahead
        self.asked = 1
        self.more = False

    def get_page(self, number: Any) -> Page:
        try:
            self.asked = max(int(number), 1)
        except (TypeError, ValueError):
            self.asked = 1
        return super().get_page(number)

    @cached_property
    def count(self) -> int:
        cap = (self.asked + self.pages_ahead) * self.per_page
        rows: Any = self.object_list
        counted = int(rows.order_by()[: cap + 1].count())
        self.more = counted > cap
        return min(counted, cap)
