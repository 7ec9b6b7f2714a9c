"""Walking a REST resource page by page from a checkpointed state, fetching ahead.

Pages are yielded strictly in order, each with the state of the page after it (what the
checkpoint stores once the page is committed). When the paginator can predict the next
state without the response (page numbers and offsets, once the total is known), up to
``concurrency`` requests run ahead while earlier pages are being stored; a prediction
that turns out wrong is dropped and the walk goes on from the real next state.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections import deque
from collections.abc import AsyncGenerator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from connectors.http import JsonPage, SourceClient
from connectors.paging import State
from connectors.runs import now
from connectors.spec import Resource, Spec


@dataclass(frozen=True)
class Fetched:
    """One page of raw records from a REST API or a ledger file."""

    label: str
    records: list[Any]
    next_state: State | None
    total: int | None
    fetched_at: datetime
    row_labels: list[str] | None = None
    floats: bool = True  # the body may hold floats (see ``canonical``); False when it cannot


def _visible(state: State) -> dict[str, Any]:
    return {k: v for k, v in state.items() if not k.startswith("_")}


async def rest_pages(
    client: SourceClient, spec: Spec, resource: Resource, start: State, since: str | None
) -> AsyncGenerator[Fetched, None]:
    paginator = resource.paginator
    assert paginator is not None
    url = spec.base_url + resource.path
    params = dict(resource.params)
    if since is not None and resource.incremental is not None:
        params[resource.incremental.param] = since

    def request(state: State) -> asyncio.Task[JsonPage]:
        target, query = paginator.request(state, url, params)
        label = paginator.describe(state)
        return asyncio.ensure_future(client.fetch(resource, target, query, label))

    pending: deque[tuple[State, asyncio.Task[JsonPage]]] = deque([(start, request(start))])
    try:
        while pending:
            while len(pending) < spec.concurrency:
                predicted = paginator.predict(pending[-1][0])
                if predicted is None:
                    break
                pending.append((predicted, request(predicted)))
            state, task = pending.popleft()
            page = await task
            following = paginator.advance(state, page)
            label, total = paginator.describe(state), paginator.total(page)
            yield Fetched(label, page.records, following, total, now(), floats=page.floats)
            if following is None:
                break
            if pending and _visible(pending[0][0]) == _visible(following):
                hidden = {k: v for k, v in following.items() if k.startswith("_")}
                pending = deque(({**s, **hidden}, t) for s, t in pending)
            else:
                _cancel(pending)
                pending = deque([(following, request(following))])
    finally:
        _cancel(pending)
        for _, task in pending:
            with contextlib.suppress(BaseException):
                await task


def _cancel(pending: deque[tuple[State, asyncio.Task[JsonPage]]]) -> None:
    for _, task in pending:
        task.cancel()
