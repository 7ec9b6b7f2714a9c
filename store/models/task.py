from __future__ import annotations

from datetime import date

from sqlalchemy import Date, Enum, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from store.base import Base, TaskStatus, Timestamps


class Task(Timestamps, Base):
    """A piece of work a department sends to a community."""

    __tablename__ = "task"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    department_id: Mapped[int] = mapped_column(ForeignKey("department.id"), index=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("grid.id"), index=True)
    status: Mapped[TaskStatus] = mapped_column(
        Enum(
            TaskStatus, native_enum=False, length=16, values_callable=lambda e: [m.value for m in e]
        )
    )
    due_date: Mapped[date | None] = mapped_column(Date)
