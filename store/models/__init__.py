"""One entity a file; importing this package registers every table on ``Base.metadata``."""

from store.models.department import Department
from store.models.grid import Grid
from store.models.household import Household, HouseholdMember
from store.models.identity import (
    EventKind,
    IdentityEvent,
    IdentityRun,
    IdentityRunStatus,
    LinkKind,
    ManualLink,
    MatchEdge,
    ReviewPair,
    ReviewStatus,
)
from store.models.resident import Resident, ResidentTag, ResidentValue
from store.models.source_record import SourceRecord
from store.models.sync import ProposedDeletion, QuarantinedRecord, SyncCheckpoint, SyncRun
from store.models.task import Task
from store.models.user import User

__all__ = [
    "Department",
    "EventKind",
    "Grid",
    "Household",
    "HouseholdMember",
    "IdentityEvent",
    "IdentityRun",
    "IdentityRunStatus",
    "LinkKind",
    "ManualLink",
    "MatchEdge",
    "ProposedDeletion",
    "QuarantinedRecord",
    "Resident",
    "ResidentTag",
    "ResidentValue",
    "ReviewPair",
    "ReviewStatus",
    "SourceRecord",
    "SyncCheckpoint",
    "SyncRun",
    "Task",
    "User",
]
