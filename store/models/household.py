from __future__ import annotations

from sqlalchemy import ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from store.base import Base, Timestamps


class Household(Timestamps, Base):
    """One household (户) as yiwang knows it, with its own number and address."""

    __tablename__ = "household"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(32), unique=True)
    address: Mapped[str] = mapped_column(String(200))
    grid_id: Mapped[int] = mapped_column(ForeignKey("grid.id"), index=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    head_resident_id: Mapped[int | None] = mapped_column(
        ForeignKey("resident.id", use_alter=True, name="fk_household_head_resident_id_resident")
    )


class HouseholdMember(Base):
    """A resident's membership of a household and relation to its head (户主, 配偶, 子 …)."""

    __tablename__ = "household_member"
    __table_args__ = (UniqueConstraint("household_id", "resident_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("household.id"), index=True)
    resident_id: Mapped[int] = mapped_column(ForeignKey("resident.id"), index=True)
    relation: Mapped[str] = mapped_column(String(16))
