"""Paginators: an ABC and a registry by name: ``page``, ``offset``, ``cursor``, ``link_header``.

A paginator turns a JSON-able *state* into a request and, from the page that came back,
decides the next state or ``None`` when its stop condition holds. States are what the
checkpoint stores, so a resumed sync asks for exactly the page after the last committed
one. Paginators whose next request does not depend on the response (page numbers,
offsets) also ``predict`` it, which lets the engine fetch a few pages ahead.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar
from urllib.parse import urljoin

from connectors.config import Table
from connectors.mapping import lookup, split_path

State = dict[str, Any]


@dataclass(frozen=True)
class Page:
    """One response: parsed body, headers (lower-case names), the records, and its URL."""

    body: Any
    headers: Mapping[str, str]
    records: list[Any]
    url: str


class PageError(ValueError):
    """The response cannot be paged on (e.g. the total is missing); retried, then fatal."""


class Paginator(ABC):
    name: ClassVar[str]

    @classmethod
    @abstractmethod
    def from_table(cls, table: Table) -> Paginator: ...

    def first(self) -> State:
        return {}

    @abstractmethod
    def params(self, state: State) -> dict[str, str]:
        """Query parameters this paginator adds for ``state``."""

    def request(self, state: State, url: str, params: dict[str, str]) -> tuple[str, dict[str, str]]:
        """URL and query parameters of the request for ``state``."""
        return url, {**params, **self.params(state)}

    @abstractmethod
    def advance(self, state: State, page: Page) -> State | None:
        """The state after ``page``, or ``None`` when the stop condition holds."""

    def predict(self, state: State) -> State | None:
        """The next state without seeing the response, when that is possible."""
        return None

    def check(self, page: Page) -> None:
        """Raise PageError when a page lacks what ``advance`` needs (so it is retried)."""
        return None

    def total(self, page: Page) -> int | None:
        return None

    def describe(self, state: State) -> str:
        shown = {k: v for k, v in state.items() if not k.startswith("_")}
        return ", ".join(f"{k}={v}" for k, v in shown.items()) or "first page"


PAGINATORS: dict[str, type[Paginator]] = {}


def register(cls: type[Paginator]) -> type[Paginator]:
    PAGINATORS[cls.name] = cls
    return cls


def build_paginator(table: Table) -> Paginator:
    kind = table.choice("type", tuple(PAGINATORS))
    paginator = PAGINATORS[kind].from_table(table)
    table.done()
    return paginator


def _number(page: Page, path: tuple[str, ...], what: str) -> int:
    value = lookup(page.body, path)
    if isinstance(value, bool) or not isinstance(value, int):
        raise PageError(f"{what} at {'.'.join(path)!r} is missing or not an integer: {value!r}")
    return value


def _stop_options(table: Table, path_key: str) -> tuple[tuple[str, ...] | None, bool]:
    path = table.text(path_key, None)
    stop_when_empty = table.boolean("stop_when_empty", False)
    if path is None and not stop_when_empty:
        raise table.error(None, f"no stop condition: give {path_key} or stop_when_empty = true")
    return (split_path(path, False) if path else None), stop_when_empty


@register
@dataclass(frozen=True)
class PageNumberPaginator(Paginator):
    """``?page=N&size=S``; stops at the total page count or at an empty page."""

    name: ClassVar[str] = "page"
    page_param: str
    size_param: str
    size: int
    start: int
    total_pages_path: tuple[str, ...] | None
    total_path: tuple[str, ...] | None

    @classmethod
    def from_table(cls, table: Table) -> Paginator:
        pages_path, _ = _stop_options(table, "total_pages_path")
        total = table.text("total_path", None)
        return cls(
            table.text("page_param", "page"),
            table.text("size_param", "size"),
            table.positive_int("size"),
            table.positive_int("start", 1),
            pages_path,
            split_path(total, False) if total else None,
        )

    def first(self) -> State:
        return {"page": self.start}

    def params(self, state: State) -> dict[str, str]:
        return {self.page_param: str(state["page"]), self.size_param: str(self.size)}

    def check(self, page: Page) -> None:
        if self.total_pages_path and page.records:
            _number(page, self.total_pages_path, "total page count")

    def advance(self, state: State, page: Page) -> State | None:
        if not page.records:
            return None
        nxt: State = {"page": state["page"] + 1}
        if self.total_pages_path:
            pages = _number(page, self.total_pages_path, "total page count")
            if state["page"] - self.start + 1 >= pages:
                return None
            nxt["_pages"] = pages
        return nxt

    def predict(self, state: State) -> State | None:
        pages = state.get("_pages")
        if pages is None or state["page"] - self.start + 1 >= pages:
            return None
        return {**state, "page": state["page"] + 1}

    def total(self, page: Page) -> int | None:
        value = lookup(page.body, self.total_path) if self.total_path else None
        return value if isinstance(value, int) else None


@register
@dataclass(frozen=True)
class OffsetPaginator(Paginator):
    """``?offset=O&limit=L``; stops when offset + rows reaches the total, or at an empty page."""

    name: ClassVar[str] = "offset"
    offset_param: str
    limit_param: str
    limit: int
    total_path: tuple[str, ...] | None

    @classmethod
    def from_table(cls, table: Table) -> Paginator:
        total_path, _ = _stop_options(table, "total_path")
        return cls(
            table.text("offset_param", "offset"),
            table.text("limit_param", "limit"),
            table.positive_int("limit"),
            total_path,
        )

    def first(self) -> State:
        return {"offset": 0}

    def params(self, state: State) -> dict[str, str]:
        return {self.offset_param: str(state["offset"]), self.limit_param: str(self.limit)}

    def check(self, page: Page) -> None:
        if self.total_path:
            _number(page, self.total_path, "total")

    def advance(self, state: State, page: Page) -> State | None:
        if not page.records:
            return None
        offset = state["offset"] + len(page.records)
        if self.total_path:
            total = _number(page, self.total_path, "total")
            if offset >= total:
                return None
            return {"offset": offset, "_total": total}
        return {"offset": offset}

    def predict(self, state: State) -> State | None:
        total = state.get("_total")
        if total is None or state["offset"] + self.limit >= total:
            return None
        return {**state, "offset": state["offset"] + self.limit}

    def total(self, page: Page) -> int | None:
        return _number(page, self.total_path, "total") if self.total_path else None


@register
@dataclass(frozen=True)
class CursorPaginator(Paginator):
    """``?cursor=C``; the next cursor is read from the body; stops when it is null or empty."""

    name: ClassVar[str] = "cursor"
    cursor_param: str
    next_cursor_path: tuple[str, ...]
    limit_param: str | None
    limit: int | None

    @classmethod
    def from_table(cls, table: Table) -> Paginator:
        limit_param = table.text("limit_param", None)
        limit = table.positive_int("limit", None)
        if (limit_param is None) != (limit is None):
            raise table.error("limit", "give both limit_param and limit, or neither")
        return cls(
            table.text("cursor_param", "cursor"),
            split_path(table.text("next_cursor_path"), False),
            limit_param,
            limit,
        )

    def params(self, state: State) -> dict[str, str]:
        params = {self.limit_param: str(self.limit)} if self.limit_param else {}
        if state.get("cursor"):
            params[self.cursor_param] = str(state["cursor"])
        return params

    def advance(self, state: State, page: Page) -> State | None:
        cursor = lookup(page.body, self.next_cursor_path)
        if cursor is None or cursor == "":
            return None
        if cursor == state.get("cursor"):
            raise PageError(f"the server returned the same cursor again ({cursor!r})")
        return {"cursor": cursor}

    def describe(self, state: State) -> str:
        cursor = str(state.get("cursor") or "")
        return f"cursor={cursor[:40]}" if cursor else "first page"


@register
@dataclass(frozen=True)
class LinkHeaderPaginator(Paginator):
    """RFC 8288 ``Link: <url>; rel="next"``; stops when no link of that relation is sent."""

    name: ClassVar[str] = "link_header"
    rel: str

    @classmethod
    def from_table(cls, table: Table) -> Paginator:
        return cls(table.text("rel", "next"))

    def params(self, state: State) -> dict[str, str]:
        return {}

    def request(self, state: State, url: str, params: dict[str, str]) -> tuple[str, dict[str, str]]:
        # A next link already carries every parameter, the incremental filter included.
        return (str(state["url"]), {}) if state.get("url") else (url, params)

    def advance(self, state: State, page: Page) -> State | None:
        for part in page.headers.get("link", "").split(","):
            target, _, attributes = part.partition(";")
            rels = [
                attribute.split("=", 1)[1].strip().strip('"').split()
                for attribute in attributes.split(";")
                if attribute.strip().lower().startswith("rel=")
            ]
            if any(self.rel in r for r in rels):
                return {"url": urljoin(page.url, target.strip().strip("<>"))}
        return None

    def describe(self, state: State) -> str:
        return f"url={state['url']}" if state.get("url") else "first page"
