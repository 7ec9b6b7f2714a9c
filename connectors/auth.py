"""Auth kinds: a small ABC and a registry by name (``none``, ``api_key``, ``bearer``, ``basic``).

An auth adds headers to every request of its source; credentials come from the spec,
usually as ``${VAR:-demo-default}`` so that real ones stay in the environment.
"""

from __future__ import annotations

import base64
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from typing import ClassVar

from connectors.config import Table


class Auth(ABC):
    name: ClassVar[str]

    @classmethod
    @abstractmethod
    def from_table(cls, table: Table) -> Auth: ...

    @abstractmethod
    def headers(self) -> dict[str, str]:
        """Headers to send with every request."""


AUTHS: dict[str, type[Auth]] = {}


def register(cls: type[Auth]) -> type[Auth]:
    AUTHS[cls.name] = cls
    return cls


def build_auth(table: Table | None) -> Auth:
    if table is None:
        return NoAuth()
    kind = table.choice("type", tuple(AUTHS))
    auth = AUTHS[kind].from_table(table)
    table.done()
    return auth


@register
@dataclass(frozen=True)
class NoAuth(Auth):
    name: ClassVar[str] = "none"

    @classmethod
    def from_table(cls, table: Table) -> Auth:
        return cls()

    def headers(self) -> dict[str, str]:
        return {}


@register
@dataclass(frozen=True)
class ApiKeyAuth(Auth):
    """A key in a header of the department's choosing, e.g. ``X-Api-Key``."""

    name: ClassVar[str] = "api_key"
    header: str
    key: str = field(repr=False)

    @classmethod
    def from_table(cls, table: Table) -> Auth:
        return cls(table.text("header", "X-Api-Key"), table.text("key"))

    def headers(self) -> dict[str, str]:
        return {self.header: self.key}


@register
@dataclass(frozen=True)
class BearerAuth(Auth):
    """``Authorization: Bearer <token>``."""

    name: ClassVar[str] = "bearer"
    token: str = field(repr=False)

    @classmethod
    def from_table(cls, table: Table) -> Auth:
        return cls(table.text("token"))

    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


@register
@dataclass(frozen=True)
class BasicAuth(Auth):
    """HTTP Basic: ``Authorization: Basic base64(username:password)``."""

    name: ClassVar[str] = "basic"
    username: str
    password: str = field(repr=False)

    @classmethod
    def from_table(cls, table: Table) -> Auth:
        return cls(table.text("username"), table.text("password"))

    def headers(self) -> dict[str, str]:
        token = base64.b64encode(f"{self.username}:{self.password}".encode()).decode()
        return {"Authorization": f"Basic {token}"}
