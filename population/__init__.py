"""A deterministic synthetic population of a Jingmen (荆门市) slice; all personal data synthetic."""

from population.departments import DEPARTMENTS, TASK_TITLES
from population.grids import GridSpec, generate_grids, grid_path
from population.idcard import (
    IdNumberAllocator,
    check_character,
    is_valid_id_number,
    make_id_number,
)
from population.people import REFERENCE_DATE, HouseholdSpec, PersonSpec, generate_population
from population.tags import TAGS

__all__ = [
    "DEPARTMENTS",
    "REFERENCE_DATE",
    "TAGS",
    "TASK_TITLES",
    "GridSpec",
    "HouseholdSpec",
    "IdNumberAllocator",
    "PersonSpec",
    "check_character",
    "generate_grids",
    "generate_population",
    "grid_path",
    "is_valid_id_number",
    "make_id_number",
]
