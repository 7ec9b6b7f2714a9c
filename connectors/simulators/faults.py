"""Switchable faults of a simulated department server (see docs/department-apis.md)."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

_RATES = ("error_rate", "timeout_rate", "truncated_rate", "non_json_rate", "malformed_rate")
_COUNTS = ("rate_limit_every", "drift_per_page")


@dataclass(frozen=True)
class Faults:
    """All off by default. Rates are shares in [0, 1]; ``rate_limit_every`` = 0 means never;
    ``hang_seconds`` is how long a timed-out request hangs before it is answered 504."""

    error_rate: float = 0.0
    latency_ms: tuple[float, float] = (0.0, 0.0)
    timeout_rate: float = 0.0
    rate_limit_every: int = 0
    truncated_rate: float = 0.0
    non_json_rate: float = 0.0
    malformed_rate: float = 0.0
    drift_per_page: int = 0
    hang_seconds: float = 30.0

    def __post_init__(self) -> None:
        for name in _RATES:
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise ValueError(f"fault {name!r} must be a number, got {value!r}")
            if not 0.0 <= value <= 1.0:
                raise ValueError(f"fault {name!r} must be within [0, 1], got {value!r}")
        for name in _COUNTS:
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise ValueError(f"fault {name!r} must be a non-negative integer, got {value!r}")
        latency = self.latency_ms
        if (
            not isinstance(latency, tuple | list)
            or len(latency) != 2
            or not all(isinstance(v, int | float) and not isinstance(v, bool) for v in latency)
            or not 0 <= latency[0] <= latency[1]
        ):
            raise ValueError(
                f"fault 'latency_ms' must be [min, max] with 0 <= min <= max, got {latency!r}"
            )
        object.__setattr__(self, "latency_ms", (float(latency[0]), float(latency[1])))
        if not isinstance(self.hang_seconds, int | float) or self.hang_seconds < 0:
            raise ValueError(
                f"fault 'hang_seconds' must be a non-negative number, got {self.hang_seconds!r}"
            )

    def replace(self, changes: Mapping[str, Any]) -> Faults:
        """A copy with the given fields changed (the others kept); unknown names fail."""
        known = {field.name for field in dataclasses.fields(self)}
        unknown = sorted(set(changes) - known)
        if unknown:
            raise ValueError(f"unknown fault(s) {unknown}; known: {sorted(known)}")
        values = dict(changes)
        if "latency_ms" in values and isinstance(values["latency_ms"], list):
            values["latency_ms"] = tuple(values["latency_ms"])
        return dataclasses.replace(self, **values)

    def as_json(self) -> dict[str, Any]:
        data = dataclasses.asdict(self)
        data["latency_ms"] = list(self.latency_ms)
        return data
