"""Who is calling, and what the role may see."""

from __future__ import annotations

from dataclasses import dataclass

from store.base import Role

# Roles that see full ID numbers and phones; everyone else sees them masked.
PII_ROLES = frozenset({Role.ADMIN, Role.DEPARTMENT})


@dataclass(frozen=True)
class Principal:
    subject: str
    role: Role
    grid_code: str

    @property
    def sees_personal_data(self) -> bool:
        return self.role in PII_ROLES


def mask_id_number(value: str | None) -> str | None:
    """420804199001011234 → 420804********1234 (the area and the last four stay)."""
    if not value:
        return value
    if len(value) <= 10:
        return "*" * len(value)
    return value[:6] + "*" * (len(value) - 10) + value[-4:]


def mask_phone(value: str | None) -> str | None:
    """13812345678 → 138****5678; other formats keep only their last four digits."""
    if not value:
        return value
    if len(value) == 11 and value.isdigit():
        return value[:3] + "****" + value[-4:]
    return "*" * max(len(value) - 4, 0) + value[-4:]
