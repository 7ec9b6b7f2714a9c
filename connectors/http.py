"""Fetching pages: the one retry policy, per-source rate limit and concurrency.

Every request of a sync goes through ``SourceClient.fetch``. One attempt is: wait for a
concurrency slot and the rate limiter, GET, check the status, decode the JSON, check the
department's success flag and select the records. 429, 5xx, time-outs, connection
errors and bodies that are truncated, not JSON or lack the records are retried by
tenacity (exponential backoff with full jitter, at least ``Retry-After`` when the server
sends one, bounded attempts, ``reraise``); other 4xx fail at once. Connectors never
retry on their own.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import aiohttp
from tenacity import (
    AsyncRetrying,
    RetryCallState,
    retry_if_exception_type,
    stop_after_attempt,
    wait_random_exponential,
)

from connectors.mapping import lookup
from connectors.paging import Page, PageError
from connectors.spec import Resource, RetrySettings, Spec

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})


@dataclass(frozen=True)
class JsonPage(Page):
    """A page as parsed here; ``floats`` says whether its body held any float (or NaN,
    Infinity), which decides how its payloads are serialised for the hash."""

    floats: bool = True


class Retryable(Exception):
    """A failure worth another attempt; ``retry_after`` in seconds when the server said."""

    def __init__(self, message: str, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class FetchError(Exception):
    """A page that could not be fetched: names source, resource and page."""


class _WaitRetryAfter:
    """Exponential backoff with jitter, but never shorter than the server's Retry-After."""

    def __init__(self, settings: RetrySettings) -> None:
        self.backoff = wait_random_exponential(
            multiplier=settings.initial_wait, max=settings.max_wait
        )

    def __call__(self, state: RetryCallState) -> float:
        wait = float(self.backoff(state))
        error = state.outcome.exception() if state.outcome else None
        if isinstance(error, Retryable) and error.retry_after is not None:
            wait = max(wait, error.retry_after)
        return wait


def retry_policy(settings: RetrySettings, on_retry: Callable[[], None]) -> AsyncRetrying:
    """The retry policy of every request; ``on_retry`` counts the retries of the run."""
    return AsyncRetrying(
        retry=retry_if_exception_type((Retryable, PageError)),
        wait=_WaitRetryAfter(settings),
        stop=stop_after_attempt(settings.attempts),
        before_sleep=lambda _state: on_retry(),
        reraise=True,
    )


def _retry_after(value: str | None) -> float | None:
    try:
        return max(0.0, float(value)) if value else None
    except ValueError:
        return None  # an HTTP date: fall back to the backoff


class RateLimiter:
    """At most ``rate`` request starts per second, spaced evenly."""

    def __init__(self, rate: float | None) -> None:
        self.interval = 1.0 / rate if rate else 0.0
        self.next_start = 0.0
        self.lock = asyncio.Lock()

    async def wait(self) -> None:
        if not self.interval:
            return
        async with self.lock:
            now = time.monotonic()
            delay = self.next_start - now
            self.next_start = max(now, self.next_start) + self.interval
        if delay > 0:
            await asyncio.sleep(delay)


class SourceClient:
    """Requests of one source over the run's shared session, with its auth and limits."""

    def __init__(
        self, session: aiohttp.ClientSession, spec: Spec, on_retry: Callable[[], None]
    ) -> None:
        self.session, self.spec, self.on_retry = session, spec, on_retry
        self.headers = {"Accept": "application/json", **spec.auth.headers()}
        self.timeout = aiohttp.ClientTimeout(total=spec.timeout)
        self.slots = asyncio.Semaphore(spec.concurrency)
        self.limiter = RateLimiter(spec.rate_limit)

    async def fetch(
        self, resource: Resource, url: str, params: dict[str, str], label: str
    ) -> JsonPage:
        """One page, retried by the policy; FetchError once retries are spent."""
        try:
            async for attempt in retry_policy(self.spec.retry, self.on_retry):
                with attempt:
                    return await self._attempt(resource, url, params)
        except (Retryable, PageError) as exc:
            attempts = self.spec.retry.attempts
            raise FetchError(
                f"{self.spec.code}/{resource.name} {label}: {exc} (after {attempts} attempts)"
            ) from exc
        except FetchError as exc:
            raise FetchError(f"{self.spec.code}/{resource.name} {label}: {exc}") from exc
        raise AssertionError("unreachable")  # pragma: no cover

    async def _attempt(self, resource: Resource, url: str, params: dict[str, str]) -> JsonPage:
        async with self.slots:
            await self.limiter.wait()
            try:
                async with self.session.get(
                    url, params=params, headers=self.headers, timeout=self.timeout
                ) as response:
                    status, headers = response.status, response.headers
                    body = await response.read()
                    final_url = str(response.url)
            except TimeoutError:
                raise Retryable(f"timed out after {self.spec.timeout:g} s") from None
            except aiohttp.ClientError as exc:
                raise Retryable(f"{type(exc).__name__}: {exc}") from None
        if status in RETRY_STATUSES:
            raise Retryable(f"HTTP {status}", _retry_after(headers.get("Retry-After")))
        if status >= 400:
            raise FetchError(f"HTTP {status}: {body[:200].decode(errors='replace')}")
        lowered: dict[str, str] = {}
        for key in headers:
            lowered[key.lower()] = ", ".join(headers.getall(key))
        page = _page(resource, body, lowered, final_url)
        if resource.paginator is not None:
            resource.paginator.check(page)
        return page


def parse_body(raw: bytes) -> tuple[Any, bool]:
    """The parsed body, and whether it held a float (or NaN, Infinity)."""
    seen = False

    def number(text: str) -> float:
        nonlocal seen
        seen = True
        return float(text)

    return json.loads(raw, parse_float=number, parse_constant=number), seen


def _page(resource: Resource, raw: bytes, headers: dict[str, str], url: str) -> JsonPage:
    try:
        body, floats = parse_body(raw)
    except ValueError:
        snippet = raw[:80].decode(errors="replace")
        raise Retryable(f"invalid JSON body ({len(raw)} bytes, starting {snippet!r})") from None
    if resource.success_path is not None:
        flag = lookup(body, resource.success_path)
        if flag != resource.success_value:
            message = lookup(body, resource.message_path) if resource.message_path else None
            raise Retryable(
                f"the department reported an error ({'.'.join(resource.success_path)}={flag!r}"
                + (f", {message}" if message else "")
                + ")"
            )
    records = lookup(body, resource.records) if resource.records else body
    if not isinstance(records, list):
        where = ".".join(resource.records) or "the body"
        keys = ", ".join(map(str, body)) if isinstance(body, dict) else type(body).__name__
        raise PageError(f"no record list at {where!r} (the response has: {keys})")
    return JsonPage(body, headers, records, url, floats)
