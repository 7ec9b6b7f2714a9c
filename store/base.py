"""Declarative base with a naming convention, shared column helpers and enums."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import DateTime, Enum, MetaData, String, func
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# Byte-order comparison on PostgreSQL too, so materialised-path range scans use the index.
PathString = String(255).with_variant(String(255, collation="C"), "postgresql")


def text_enum(cls: type[enum.StrEnum]) -> Enum:
    """An enum stored as its values' text (no database enum type to migrate)."""
    return Enum(cls, native_enum=False, length=16, values_callable=lambda e: [m.value for m in e])


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Timestamps:
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), onupdate=func.now()
    )


class GridLevel(enum.StrEnum):
    CITY = "city"
    DISTRICT = "district"
    STREET = "street"
    COMMUNITY = "community"
    GRID = "grid"


class Gender(enum.StrEnum):
    MALE = "male"
    FEMALE = "female"
    UNKNOWN = "unknown"


class TaskStatus(enum.StrEnum):
    SUBMITTED = "submitted"
    ADMITTED = "admitted"
    REJECTED = "rejected"
    IN_PROGRESS = "in_progress"
    DONE = "done"


class Role(enum.StrEnum):
    GRID_WORKER = "grid_worker"
    COMMUNITY = "community"
    STREET = "street"
    DEPARTMENT = "department"
    GATEKEEPER = "gatekeeper"
    ADMIN = "admin"
