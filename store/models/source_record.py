from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, DateTime, ForeignKey, String, UniqueConstraint, func
from sqlalchemy.orm import Mapped, mapped_column

from store.base import Base


class SourceRecord(Base):
    """A record as a department platform holds it: raw payload plus provenance.

    ``record`` is the payload mapped to our fields by the connector spec; ``content_hash``
    covers payload and mapping, so an unchanged record is never rewritten.
    ``last_seen_run_id`` is the last full snapshot pass that saw the record. Lookups by
    source use the unique (source, kind, source_id) index, whose leading column it is.
    """

    __tablename__ = "source_record"
    __table_args__ = (UniqueConstraint("source", "kind", "source_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    source: Mapped[str] = mapped_column(String(32))
    source_id: Mapped[str] = mapped_column(String(128))
    kind: Mapped[str] = mapped_column(String(16))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    content_hash: Mapped[str] = mapped_column(String(64))
    fetched_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    deleted: Mapped[bool] = mapped_column(Boolean, default=False)
    record: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    last_seen_run_id: Mapped[int | None] = mapped_column(ForeignKey("sync_run.id"))
    resident_id: Mapped[int | None] = mapped_column(ForeignKey("resident.id"), index=True)
    household_id: Mapped[int | None] = mapped_column(ForeignKey("household.id"), index=True)
