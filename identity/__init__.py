"""Identity resolution: one person per human across the department platforms (issue 4).

Stages, one module each, each a function over typed records: normalise (built:
``normalize_record`` and the field parsers it assembles), then block, compare, score,
cluster and survive. By convention nothing here knows GraphQL or the store.
"""

from identity.addresses import Address, parse_address
from identity.block import BlockingRule, Candidates, block, blocking_recall
from identity.cluster import Clustering, cluster, group_households
from identity.compare import (
    BirthDateComparison,
    Comparison,
    GenderComparison,
    HouseholdComparison,
    IdComparison,
    NameComparison,
    compare,
)
from identity.csvio import CsvError, read_records, write_clusters
from identity.dates import parse_date
from identity.em import train
from identity.frame import Frame, build_frame
from identity.gender import Gender, parse_gender
from identity.idnumber import (
    IdNumber,
    IdStatus,
    check_character,
    legacy_form,
    parse_id_number,
    upgrade_15,
)
from identity.incremental import Candidate, Match, Matcher
from identity.names import Name, parse_name
from identity.normalize import (
    Issue,
    NormalizedRecord,
    RawRecord,
    normalize_record,
    normalize_records,
)
from identity.phones import Phone, PhoneKind, parse_phone
from identity.pipeline import Resolution, Stats, resolve
from identity.review import Contribution, ReviewItem, explain
from identity.score import Model, match_weights, probabilities
from identity.settings import Settings

__all__ = [
    "Address",
    "BirthDateComparison",
    "BlockingRule",
    "Candidate",
    "Candidates",
    "Clustering",
    "Comparison",
    "Contribution",
    "CsvError",
    "Frame",
    "Gender",
    "GenderComparison",
    "HouseholdComparison",
    "IdComparison",
    "IdNumber",
    "IdStatus",
    "Issue",
    "Match",
    "Matcher",
    "Model",
    "Name",
    "NameComparison",
    "NormalizedRecord",
    "Phone",
    "PhoneKind",
    "RawRecord",
    "Resolution",
    "ReviewItem",
    "Settings",
    "Stats",
    "block",
    "blocking_recall",
    "build_frame",
    "check_character",
    "cluster",
    "compare",
    "explain",
    "group_households",
    "legacy_form",
    "match_weights",
    "normalize_record",
    "normalize_records",
    "parse_address",
    "parse_date",
    "parse_gender",
    "parse_id_number",
    "parse_name",
    "parse_phone",
    "probabilities",
    "read_records",
    "resolve",
    "train",
    "upgrade_15",
    "write_clusters",
]
