"""Reading a spec's TOML tables with precise errors: every problem names its key path.

Strings may reference the environment as ``${VAR}`` or ``${VAR:-default}`` (``$$`` is a
literal ``$``); credentials come from there. A ``Table`` remembers which keys were read,
so ``done()`` can reject unknown keys instead of silently ignoring a typo.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from typing import Any

_ENV = re.compile(r"\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}")
_MISSING: Any = object()


class SpecError(ValueError):
    """An invalid connector spec: ``origin: key.path: problem``."""

    def __init__(self, origin: str, path: str, problem: str) -> None:
        self.origin, self.path, self.problem = origin, path, problem
        super().__init__(f"{origin}: {path}: {problem}" if path else f"{origin}: {problem}")


def interpolate(text: str, env: Mapping[str, str]) -> str:
    """Replace ``${VAR}`` and ``${VAR:-default}``; raise KeyError(VAR) when VAR is unset."""

    def replace(match: re.Match[str]) -> str:
        if match.group(0) == "$$":
            return "$"
        name, default = match.group(1), match.group(2)
        value = env.get(name)
        if value is None or (value == "" and default is not None):
            if default is None:
                raise KeyError(name)
            return default
        return value

    return _ENV.sub(replace, text)


class Table:
    """One TOML table of a spec, with its key path and the environment for ``${VAR}``."""

    def __init__(
        self,
        data: Mapping[str, Any],
        origin: str,
        path: str = "",
        env: Mapping[str, str] | None = None,
    ) -> None:
        self.data, self.origin, self.path = data, origin, path
        self.env: Mapping[str, str] = os.environ if env is None else env
        self._read: set[str] = set()

    def key_path(self, key: str) -> str:
        return f"{self.path}.{key}" if self.path else key

    def error(self, key: str | None, problem: str) -> SpecError:
        return SpecError(self.origin, self.key_path(key) if key else self.path, problem)

    def has(self, key: str) -> bool:
        return key in self.data

    def _get(self, key: str, default: Any) -> Any:
        self._read.add(key)
        if key in self.data:
            return self.data[key]
        if default is _MISSING:
            raise self.error(key, "is required")
        return default

    def expand(self, key: str, text: str) -> str:
        try:
            return interpolate(text, self.env)
        except KeyError as exc:
            raise self.error(key, f"environment variable {exc.args[0]} is not set") from None

    def text(self, key: str, default: Any = _MISSING) -> Any:
        value = self._get(key, default)
        if value is default and default is not _MISSING:
            return value
        if not isinstance(value, str):
            raise self.error(key, f"must be a string, not {type(value).__name__}")
        value = self.expand(key, value)
        if not value.strip():
            raise self.error(key, "must not be empty")
        return value

    def positive_int(self, key: str, default: Any = _MISSING) -> Any:
        value = self._get(key, default)
        if value is default and default is not _MISSING:
            return value
        if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
            raise self.error(key, "must be a positive integer")
        return value

    def positive_number(self, key: str, default: Any = _MISSING) -> Any:
        value = self._get(key, default)
        if value is default and default is not _MISSING:
            return value
        if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
            raise self.error(key, "must be a positive number")
        return float(value)

    def boolean(self, key: str, default: bool) -> bool:
        value = self._get(key, default)
        if not isinstance(value, bool):
            raise self.error(key, "must be true or false")
        return value

    def choice(self, key: str, allowed: tuple[str, ...], default: Any = _MISSING) -> Any:
        value = self.text(key, default)
        if value is not default and value not in allowed:
            raise self.error(key, f"must be one of {', '.join(allowed)}, not {value!r}")
        return value

    def scalar(self, key: str, default: Any = _MISSING) -> Any:
        """A string (interpolated), number or boolean, as given."""
        value = self._get(key, default)
        if isinstance(value, str):
            return self.expand(key, value)
        if value is not default and not isinstance(value, int | float | bool):
            raise self.error(key, "must be a string, number or boolean")
        return value

    def table(self, key: str, default: Any = _MISSING) -> Any:
        value = self._get(key, default)
        if value is default and default is not _MISSING:
            return value
        if not isinstance(value, Mapping):
            raise self.error(key, f"must be a table, not {type(value).__name__}")
        return Table(value, self.origin, self.key_path(key), self.env)

    def str_list(self, key: str, default: tuple[str, ...] = ()) -> tuple[str, ...]:
        value = self._get(key, default)
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
            raise self.error(key, "must be a string or a list of strings")
        return tuple(self.expand(key, v) for v in value)

    def names(self) -> list[str]:
        self._read.update(self.data)
        return list(self.data)

    def done(self) -> None:
        """Reject keys nobody read: a typo must not be ignored silently."""
        for key in self.data:
            if key not in self._read:
                known = ", ".join(sorted(self._read)) or "none"
                raise self.error(key, f"unknown key (known here: {known})")
