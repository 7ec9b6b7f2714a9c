"""What identity resolution decided, and what people decided about it.

A resolution run (``IdentityRun``) turns source records into residents and households.
The run keeps its trained model (so one new record can be matched later without a
full run), its counts, and the events it caused: a resident created, two merged into
one, one split in two, one retired. ``MatchEdge`` keeps, per resident, the scored pairs
that joined its records, each with the per-comparison explanation a cadre sees.
People's decisions outlive runs: a manual merge or split (``ManualLink``) is stored by
the records' (source, source_id) and respected by every later run; review pairs keep
their decision so the same pair is not asked twice.
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.orm import Mapped, mapped_column

from store.base import Base, text_enum


class IdentityRunStatus(enum.StrEnum):
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"


class EventKind(enum.StrEnum):
    CREATED = "created"  # a new person appeared in the sources
    MERGED = "merged"  # ``other`` was merged into ``resident`` (it now redirects there)
    SPLIT = "split"  # ``other`` was split off ``resident``
    RETIRED = "retired"  # no source record is left for the resident


class LinkKind(enum.StrEnum):
    MUST = "must"  # the two records are one person
    CANNOT = "cannot"  # the two records are two people


class ReviewStatus(enum.StrEnum):
    OPEN = "open"
    SAME = "same"  # decided: one person (stored as a must-link too)
    DIFFERENT = "different"  # decided: two people (stored as a cannot-link too)


class IdentityRun(Base):
    __tablename__ = "identity_run"

    id: Mapped[int] = mapped_column(primary_key=True)
    status: Mapped[IdentityRunStatus] = mapped_column(text_enum(IdentityRunStatus))
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    records: Mapped[int] = mapped_column(Integer, default=0)
    persons: Mapped[int] = mapped_column(Integer, default=0)
    households: Mapped[int] = mapped_column(Integer, default=0)
    created: Mapped[int] = mapped_column(Integer, default=0)
    merged: Mapped[int] = mapped_column(Integer, default=0)
    split: Mapped[int] = mapped_column(Integer, default=0)
    retired: Mapped[int] = mapped_column(Integer, default=0)
    changed: Mapped[int] = mapped_column(Integer, default=0)  # residents rewritten
    review_items: Mapped[int] = mapped_column(Integer, default=0)
    model: Mapped[str | None] = mapped_column(Text)  # identity.score.Model JSON
    stats: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    error: Mapped[str | None] = mapped_column(Text)


class IdentityEvent(Base):
    __tablename__ = "identity_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int | None] = mapped_column(ForeignKey("identity_run.id"), index=True)
    kind: Mapped[EventKind] = mapped_column(text_enum(EventKind))
    resident_id: Mapped[int] = mapped_column(ForeignKey("resident.id"), index=True)
    other_id: Mapped[int | None] = mapped_column(ForeignKey("resident.id"))
    reason: Mapped[str] = mapped_column(Text)
    actor: Mapped[str | None] = mapped_column(String(64))  # a person's decision, or None
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class ManualLink(Base):
    __tablename__ = "manual_link"
    __table_args__ = (
        UniqueConstraint("left_source", "left_source_id", "right_source", "right_source_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[LinkKind] = mapped_column(text_enum(LinkKind))
    left_source: Mapped[str] = mapped_column(String(32))
    left_source_id: Mapped[str] = mapped_column(String(128))
    right_source: Mapped[str] = mapped_column(String(32))
    right_source_id: Mapped[str] = mapped_column(String(128))
    reason: Mapped[str] = mapped_column(Text)
    actor: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class ReviewPair(Base):
    """A pair of records a person should decide; kept across runs with its decision."""

    __tablename__ = "review_pair"
    __table_args__ = (UniqueConstraint("left_record_id", "right_record_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    left_record_id: Mapped[int] = mapped_column(ForeignKey("source_record.id"))
    right_record_id: Mapped[int] = mapped_column(ForeignKey("source_record.id"), index=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("identity_run.id"), index=True)
    probability: Mapped[float] = mapped_column(Float)
    match_weight: Mapped[float] = mapped_column(Float)
    reason: Mapped[str] = mapped_column(String(64))
    explanation: Mapped[list[Any]] = mapped_column(JSON)  # [[comparison, level, weight], …]
    status: Mapped[ReviewStatus] = mapped_column(text_enum(ReviewStatus), index=True)
    decided_by: Mapped[str | None] = mapped_column(String(64))
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class MatchEdge(Base):
    """A scored pair that joined two of a resident's records (its spanning tree)."""

    __tablename__ = "match_edge"

    id: Mapped[int] = mapped_column(primary_key=True)
    resident_id: Mapped[int] = mapped_column(ForeignKey("resident.id"), index=True)
    left_record_id: Mapped[int] = mapped_column(ForeignKey("source_record.id"))
    right_record_id: Mapped[int] = mapped_column(ForeignKey("source_record.id"))
    probability: Mapped[float] = mapped_column(Float)
    match_weight: Mapped[float] = mapped_column(Float)
    explanation: Mapped[list[Any]] = mapped_column(JSON)  # [[comparison, level, weight], …]
    manual: Mapped[bool] = mapped_column(default=False)  # joined by a person's merge
