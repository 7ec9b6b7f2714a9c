"""Connectors: pull department platforms and ledgers into the store's source records.

One declarative spec per department (``connectors/departments/<code>.toml``), one engine
for all of them. The service API below is what the CLI, GraphQL and ``make demo`` call.
"""

from connectors.config import SpecError
from connectors.deletions import (
    DeletionError,
    DeletionProposal,
    confirm_deletion,
    list_deletions,
    reject_deletion,
)
from connectors.engine import Progress, ProgressCallback, map_page, sync
from connectors.runs import RunSummary
from connectors.spec import DEPARTMENTS_DIR, Resource, Spec, load_spec, load_specs, parse_spec_text
from connectors.status import (
    QuarantineEntry,
    ResourceStatus,
    SourceStatus,
    list_quarantine,
    list_runs,
    source_status,
)

__all__ = [
    "DEPARTMENTS_DIR",
    "DeletionError",
    "DeletionProposal",
    "Progress",
    "ProgressCallback",
    "QuarantineEntry",
    "Resource",
    "ResourceStatus",
    "RunSummary",
    "SourceStatus",
    "Spec",
    "SpecError",
    "confirm_deletion",
    "list_deletions",
    "list_quarantine",
    "list_runs",
    "load_spec",
    "load_specs",
    "map_page",
    "parse_spec_text",
    "reject_deletion",
    "source_status",
    "sync",
]
