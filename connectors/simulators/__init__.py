"""Simulated department platforms (公安, 民政, 卫健 over HTTP; 残联 as an XLSX ledger) serving
one synthetic population with realistic noise and switchable faults.

The contract they implement is docs/department-apis.md.
"""

from connectors.simulators.app import SimulatorApp
from connectors.simulators.data import CODES, HTTP_CODES, Dataset, derive, truth
from connectors.simulators.faults import Faults
from connectors.simulators.ledger import Ledger, write_ledger
from connectors.simulators.runner import build_app, running

__all__ = [
    "CODES",
    "HTTP_CODES",
    "Dataset",
    "Faults",
    "Ledger",
    "SimulatorApp",
    "build_app",
    "derive",
    "running",
    "truth",
    "write_ledger",
]
