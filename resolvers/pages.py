"""A page of rows as the schema's connections need it, with a lazy total count."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any

from store.repositories.paging import Page


@dataclass(frozen=True)
class PageResult:
    rows: Sequence[Any]
    has_next: bool
    has_previous: bool
    count: Callable[[], Awaitable[int]]

    @classmethod
    def of(cls, page: Page, after: int | None, count: Callable[[], Awaitable[int]]) -> PageResult:
        return cls(page.rows, page.has_next, after is not None, count)
