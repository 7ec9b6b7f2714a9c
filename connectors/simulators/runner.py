"""Start simulated department servers on loopback: ``running(...)`` for tests and scripts."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterable, Mapping
from contextlib import asynccontextmanager

from aiohttp import web

from connectors.simulators.app import SimulatorApp
from connectors.simulators.data import HTTP_CODES, Dataset, derive, paused_gc
from connectors.simulators.faults import Faults
from connectors.simulators.ga import GaApp
from connectors.simulators.mz import MzApp
from connectors.simulators.state import DepartmentState
from connectors.simulators.wj import WjApp

APPS: dict[str, type[SimulatorApp]] = {"ga": GaApp, "mz": MzApp, "wj": WjApp}
DEFAULT_PORTS = {"ga": 8101, "mz": 8102, "wj": 8103}
SHUTDOWN_SECONDS = 1.0


def build_app(code: str, dataset: Dataset, faults: Faults | None = None) -> SimulatorApp:
    """A department's simulator over its own copy of the dataset's records."""
    if code not in APPS:
        raise ValueError(f"no HTTP simulator for {code!r}; have {sorted(APPS)}")
    with paused_gc():
        state = DepartmentState(code, dataset)
    return APPS[code](state, faults)


def _pick(value: Faults | Mapping[str, Faults] | None, code: str) -> Faults | None:
    if value is None or isinstance(value, Faults):
        return value
    return value.get(code)


@asynccontextmanager
async def running(
    codes: Iterable[str] = HTTP_CODES,
    residents: int = 2000,
    seed: int = 42,
    faults: Faults | Mapping[str, Faults] | None = None,
    host: str = "127.0.0.1",
    port: int | Mapping[str, int] = 0,
    dataset: Dataset | None = None,
) -> AsyncIterator[dict[str, str]]:
    """Serve the listed departments; yields ``{code: base_url}`` and stops them on exit.

    ``faults`` is one set for every server or a set per code; ``port`` is one port (0 =
    ephemeral, the only sensible shared value) or a port per code. Pass ``dataset`` to
    reuse derived data; otherwise it is derived from (residents, seed).
    """
    wanted = tuple(dict.fromkeys(codes))
    unknown = sorted(set(wanted) - set(APPS))
    if unknown:
        raise ValueError(f"no HTTP simulator for {unknown}; have {sorted(APPS)}")
    if dataset is None or not set(wanted) <= set(dataset.departments):
        dataset = await asyncio.to_thread(derive, residents, seed, wanted)
    runners: list[web.AppRunner] = []
    urls: dict[str, str] = {}
    try:
        for code in wanted:
            simulator = build_app(code, dataset, _pick(faults, code))
            runner = web.AppRunner(
                simulator.application(), access_log=None, shutdown_timeout=SHUTDOWN_SECONDS
            )
            await runner.setup()
            runners.append(runner)
            chosen = port if isinstance(port, int) else port.get(code, 0)
            site = web.TCPSite(runner, host, chosen)
            await site.start()
            bound_host, bound_port = runner.addresses[0][:2]
            urls[code] = f"http://{_url_host(str(bound_host))}:{bound_port}"
        yield urls
    finally:
        await asyncio.gather(*(runner.cleanup() for runner in runners))


def _url_host(host: str) -> str:
    return f"[{host}]" if ":" in host else host
