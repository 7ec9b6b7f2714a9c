"""Sync bookkeeping for the connectors: runs, checkpoints, quarantine, proposed deletions.

These tables sit beside ``source_record``: a run records what one sync of one source
did, a checkpoint says where each resource's current pass stands (advanced in the same
transaction as the page's records), the quarantine keeps records that failed validation
with their raw payload, and proposed deletions wait for a person to confirm them.
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.orm import Mapped, mapped_column

from store.base import Base, text_enum


class RunStatus(enum.StrEnum):
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    INTERRUPTED = "interrupted"  # the process died; a later run took over its checkpoint


class SyncMode(enum.StrEnum):
    FULL = "full"
    INCREMENTAL = "incremental"


class DeletionStatus(enum.StrEnum):
    PROPOSED = "proposed"
    CONFIRMED = "confirmed"
    REJECTED = "rejected"


class SyncRun(Base):
    """One sync of one source: what it fetched and wrote, and how it ended."""

    __tablename__ = "sync_run"

    id: Mapped[int] = mapped_column(primary_key=True)
    source: Mapped[str] = mapped_column(String(32), index=True)
    mode: Mapped[SyncMode] = mapped_column(text_enum(SyncMode))
    status: Mapped[RunStatus] = mapped_column(text_enum(RunStatus))
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    pages: Mapped[int] = mapped_column(Integer, default=0)
    fetched: Mapped[int] = mapped_column(Integer, default=0)
    inserted: Mapped[int] = mapped_column(Integer, default=0)
    updated: Mapped[int] = mapped_column(Integer, default=0)
    unchanged: Mapped[int] = mapped_column(Integer, default=0)
    quarantined: Mapped[int] = mapped_column(Integer, default=0)
    retries: Mapped[int] = mapped_column(Integer, default=0)
    proposed_deletions: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)


class SyncCheckpoint(Base):
    """Where the current pass over one resource stands.

    ``state`` is the paginator state of the next request (null once the pass is
    complete); ``pass_run_id`` is the run that began the pass, the mark a full snapshot
    leaves on every record it sees. ``since`` and ``high_watermark`` belong to the pass
    in progress; ``watermark`` is the highest cursor value of the last completed pass.
    """

    __tablename__ = "sync_checkpoint"

    source: Mapped[str] = mapped_column(String(32), primary_key=True)
    resource: Mapped[str] = mapped_column(String(64), primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    mode: Mapped[SyncMode] = mapped_column(text_enum(SyncMode))
    pass_run_id: Mapped[int] = mapped_column(ForeignKey("sync_run.id"))
    run_id: Mapped[int] = mapped_column(ForeignKey("sync_run.id"))
    state: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    since: Mapped[str | None] = mapped_column(String(64))
    high_watermark: Mapped[str | None] = mapped_column(String(64))
    watermark: Mapped[str | None] = mapped_column(String(64))
    pages: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    completed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class QuarantinedRecord(Base):
    """A record that failed validation, kept with its raw payload and the reason."""

    __tablename__ = "quarantined_record"
    __table_args__ = (UniqueConstraint("source", "kind", "payload_hash"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    source: Mapped[str] = mapped_column(String(32), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    resource: Mapped[str] = mapped_column(String(64))
    run_id: Mapped[int] = mapped_column(ForeignKey("sync_run.id"), index=True)
    page: Mapped[str] = mapped_column(String(300))
    source_id: Mapped[str | None] = mapped_column(String(128))
    field: Mapped[str] = mapped_column(String(100))
    reason: Mapped[str] = mapped_column(Text)
    payload: Mapped[Any] = mapped_column(JSON)
    payload_hash: Mapped[str] = mapped_column(String(64))
    quarantined_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )


class ProposedDeletion(Base):
    """A record missing from a full snapshot; only a person's confirmation deletes it."""

    __tablename__ = "proposed_deletion"

    id: Mapped[int] = mapped_column(primary_key=True)
    source_record_id: Mapped[int] = mapped_column(ForeignKey("source_record.id"), index=True)
    source: Mapped[str] = mapped_column(String(32), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    source_id: Mapped[str] = mapped_column(String(128))
    run_id: Mapped[int] = mapped_column(ForeignKey("sync_run.id"))
    last_seen_run_id: Mapped[int | None] = mapped_column(Integer)
    status: Mapped[DeletionStatus] = mapped_column(text_enum(DeletionStatus), index=True)
    proposed_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )
    decided_by: Mapped[str | None] = mapped_column(String(64))
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
