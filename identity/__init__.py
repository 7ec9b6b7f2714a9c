"""Identity resolution: one person per human across the department platforms (issue 4).

Stages, one module each, each a function over typed records: normalise (built:
``normalize_record`` and the field parsers it assembles), then block, compare, score,
cluster and survive. By convention nothing here knows GraphQL or the store.
"""

from identity.addresses import Address, parse_address
from identity.dates import parse_date
from identity.gender import Gender, parse_gender
from identity.idnumber import (
    IdNumber,
    IdStatus,
    check_character,
    legacy_form,
    parse_id_number,
    upgrade_15,
)
from identity.names import Name, parse_name
from identity.normalize import (
    Issue,
    NormalizedRecord,
    RawRecord,
    normalize_record,
    normalize_records,
)
from identity.phones import Phone, PhoneKind, parse_phone

__all__ = [
    "Address",
    "Gender",
    "IdNumber",
    "IdStatus",
    "Issue",
    "Name",
    "NormalizedRecord",
    "Phone",
    "PhoneKind",
    "RawRecord",
    "check_character",
    "legacy_form",
    "normalize_record",
    "normalize_records",
    "parse_address",
    "parse_date",
    "parse_gender",
    "parse_id_number",
    "parse_name",
    "parse_phone",
    "upgrade_15",
]
