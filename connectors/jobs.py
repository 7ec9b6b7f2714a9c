"""Syncs started from the API run in the background of the server, one per source at most."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping

from sqlalchemy.ext.asyncio import AsyncEngine

from connectors.engine import sync
from connectors.runs import RunSummary
from connectors.spec import Spec

log = logging.getLogger("yiwang.connectors.jobs")


class SyncJobs:
    def __init__(self, engine: AsyncEngine, specs: Mapping[str, Spec]) -> None:
        self.engine = engine
        self.specs = specs
        self._tasks: dict[str, asyncio.Task[list[RunSummary]]] = {}

    def running(self) -> set[str]:
        return set(self._tasks)

    def start(self, code: str, full: bool = False) -> bool:
        """Start a sync of ``code``; False when one is already running. The run's record
        in the store (``sources`` in GraphQL, ``yiwang sources``) tells how it went."""
        if code in self._tasks:
            return False
        task = asyncio.create_task(sync(self.engine, [self.specs[code]], full=full))
        self._tasks[code] = task
        task.add_done_callback(lambda done: self._finished(code, done))
        return True

    def _finished(self, code: str, task: asyncio.Task[list[RunSummary]]) -> None:
        self._tasks.pop(code, None)
        if not task.cancelled() and task.exception() is not None:
            log.error("sync of %s failed", code, exc_info=task.exception())

    async def close(self) -> None:
        tasks = list(self._tasks.values())
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
