from __future__ import annotations

from datetime import date

from sqlalchemy import Date, Enum, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from store.base import Base, Gender, Timestamps


class Resident(Timestamps, Base):
    """A resident's golden record. ``name_pinyin`` and ``name_initials`` serve search."""

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


class ResidentTag(Base):
    """A tag a department cares about (低保, 特困, 残疾, 独居老人, 退役军人 …)."""

    __tablename__ = "resident_tag"

    resident_id: Mapped[int] = mapped_column(ForeignKey("resident.id"), primary_key=True)
    tag: Mapped[str] = mapped_column(String(32), primary_key=True, index=True)
