from __future__ import annotations

from sqlalchemy import Enum, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from store.base import Base, GridLevel, PathString


class Grid(Base):
    """A node of city > district > street > community > grid.

    ``path`` is the materialised path of codes, ``/4208/420802/…/``; a subtree is a
    range scan on it (see ``store.queries.subtree_bounds``).
    """

    __tablename__ = "grid"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    level: Mapped[GridLevel] = mapped_column(
        Enum(
            GridLevel, native_enum=False, length=16, values_callable=lambda e: [m.value for m in e]
        )
    )
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("grid.id"), index=True)
    path: Mapped[str] = mapped_column(PathString, unique=True)
    # What a leaf grid covers inside its community, e.g. "1-24栋" or "5-8组": how a
    # resolved resident's address finds its grid.
    covers: Mapped[str | None] = mapped_column(String(64))
