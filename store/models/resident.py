from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Date, DateTime, Enum, ForeignKey, Integer, String, func
from sqlalchemy.orm import Mapped, mapped_column

from store.base import Base, Gender, Timestamps


class Resident(Timestamps, Base):
    """A resident's golden record. ``name_pinyin`` and ``name_initials`` serve search.

    Resolved residents carry, per field, where its value came from (``provenance``:
    source, source_id and fetched_at, or the cadre who entered it). A resident merged
    into another keeps its row and ID and points at the survivor (``merged_into_id``),
    so links to it still lead somewhere; lists show survivors only.
    """

    __tablename__ = "resident"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(64), index=True)
    name_pinyin: Mapped[str] = mapped_column(String(128), index=True)
    name_initials: Mapped[str] = mapped_column(String(32), index=True)
    id_number: Mapped[str | None] = mapped_column(String(18), index=True)
    gender: Mapped[Gender] = mapped_column(
        Enum(Gender, native_enum=False, length=16, values_callable=lambda e: [m.value for m in e])
    )
    birth_date: Mapped[date | None] = mapped_column(Date, index=True)
    phone: Mapped[str | None] = mapped_column(String(32), index=True)
    residence_address: Mapped[str | None] = mapped_column(String(200))
    registered_address: Mapped[str | None] = mapped_column(String(200))
    grid_id: Mapped[int] = mapped_column(ForeignKey("grid.id"), index=True)
    household_id: Mapped[int | None] = mapped_column(ForeignKey("household.id"), index=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("resident.id"))
    provenance: Mapped[dict[str, Any] | None] = mapped_column(JSON)


class ResidentTag(Base):
    """A tag a department cares about (低保, 特困, 残疾, 独居老人, 退役军人 …)."""

    __tablename__ = "resident_tag"

    resident_id: Mapped[int] = mapped_column(ForeignKey("resident.id"), primary_key=True)
    tag: Mapped[str] = mapped_column(String(32), primary_key=True, index=True)


class ResidentValue(Base):
    """A value a cadre entered for a resident's field. It outranks the department
    records until one of them changes that field again (a record fetched later with
    a different value)."""

    __tablename__ = "resident_value"

    resident_id: Mapped[int] = mapped_column(ForeignKey("resident.id"), primary_key=True)
    field: Mapped[str] = mapped_column(String(32), primary_key=True)
    value: Mapped[str | None] = mapped_column(String(200))
    replaced: Mapped[str | None] = mapped_column(String(200))  # the sources' value then
    entered_by: Mapped[str] = mapped_column(String(64))
    entered_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
