"""Stage 6: a golden record per person, field by field, with where each value came from.

Every field has a rule: which departments to believe first (``priority``) and whether
the most recent record wins over that order (``recent``, for what people change:
phones, where they live). Values are normalised before they compete, so "13812345678"
and "138-1234-5678" are one value, and an ID number that fails its checksum only wins
when no valid one exists. A value a cadre entered outranks every source until a source
changes that field again: a record fetched after the cadre's entry whose value is
neither the cadre's nor the one the cadre corrected (so a record that changed in another
field does not undo the correction).

The result names, for every field, the record it came from (source, source_id,
fetched_at) or the cadre who entered it: the provenance a resident's page shows.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache
from typing import Any

from identity.dates import parse_date
from identity.gender import Gender, parse_gender
from identity.idnumber import IdStatus, parse_id_number
from identity.names import parse_name
from identity.phones import parse_phone

FIELDS = (
    "name",
    "id_number",
    "gender",
    "birth_date",
    "phone",
    "residence_address",
    "registered_address",
    "relation",
)


@dataclass(frozen=True, slots=True)
class SourceValues:
    """One source record's say about a person."""

    source: str
    source_id: str
    fetched_at: datetime  # when this content was last fetched changed
    values: Mapping[str, object]


@dataclass(frozen=True, slots=True)
class CadreValue:
    value: str | None
    entered_by: str
    entered_at: datetime
    replaced: str | None = None  # what the sources said when the cadre entered it


@dataclass(frozen=True, slots=True)
class Rule:
    priority: tuple[str, ...]  # sources, most trusted first; others after, by name
    recent: bool = False  # the latest record wins, priority breaks ties


DEFAULT_RULES: Mapping[str, Rule] = {
    "name": Rule(("ga", "mz", "cl", "wj")),
    "id_number": Rule(("ga", "mz", "cl", "wj")),
    "gender": Rule(("ga", "mz", "wj", "cl")),
    "birth_date": Rule(("ga", "mz", "wj", "cl")),
    "phone": Rule(("wj", "mz", "cl", "ga"), recent=True),
    "residence_address": Rule(("mz", "wj", "cl", "ga"), recent=True),
    "registered_address": Rule(("ga", "mz")),
    "relation": Rule(("ga", "mz")),
}


@dataclass(frozen=True)
class Golden:
    values: dict[str, Any]  # field -> normalised value (str, date, Gender) or None
    provenance: dict[str, dict[str, str]] = field(default_factory=dict)
    tags: tuple[str, ...] = ()


def survive(
    records: Sequence[SourceValues],
    cadre: Mapping[str, CadreValue] | None = None,
    rules: Mapping[str, Rule] = DEFAULT_RULES,
) -> Golden:
    """The golden record of one person from its source records and cadre values."""
    values: dict[str, Any] = {}
    provenance: dict[str, dict[str, str]] = {}
    latest = [-_timestamp(r.values.get("updated_at"), r.fetched_at) for r in records]
    for name in FIELDS:
        rule = rules.get(name, Rule(()))
        best = _best(records, latest, name, rule)
        entered = (cadre or {}).get(name)
        if entered is not None and not _overridden(name, entered, best):
            values[name] = _normalise(name, entered.value)[0]
            provenance[name] = {"cadre": entered.entered_by, "at": entered.entered_at.isoformat()}
        elif best is not None:
            values[name], record = best
            provenance[name] = {
                "source": record.source,
                "source_id": record.source_id,
                "fetched_at": record.fetched_at.isoformat(),
            }
        else:
            values[name] = None
    _derive_from_id(values, provenance)
    tags = sorted({str(tag) for record in records for tag in _tags(record.values.get("tags"))})
    return Golden(values, provenance, tuple(tags))


def _best(
    records: Sequence[SourceValues], latest: Sequence[float], name: str, rule: Rule
) -> tuple[Any, SourceValues] | None:
    """The winning value and its record; ``latest``: minus each record's timestamp."""
    ranked: list[tuple[tuple[Any, ...], Any, SourceValues]] = []
    for record, when in zip(records, latest, strict=True):
        value, strength = _normalise(name, record.values.get(name))
        if value is None:
            continue
        rank = rule.priority.index(record.source) if record.source in rule.priority else 99
        order = (when, rank) if rule.recent else (rank, when)
        ranked.append(((-strength, *order, record.source, record.source_id), value, record))
    if not ranked:
        return None
    _, value, record = min(ranked, key=lambda item: item[0])
    return value, record


def _overridden(name: str, entered: CadreValue, best: tuple[Any, SourceValues] | None) -> bool:
    """A source changed the field after the cadre entered it."""
    if best is None:
        return False
    value, record = best
    known = {_normalise(name, entered.value)[0], _normalise(name, entered.replaced)[0]}
    return record.fetched_at > entered.entered_at and value not in known


def _normalise(name: str, raw: object) -> tuple[Any, int]:
    """(value, strength): the comparable value of a field, None when unusable; strength
    ranks values of different quality (a valid ID number over one failing its check)."""
    if raw is None or isinstance(raw, str):
        return _normalise_text(name, raw)
    return _PARSERS.get(name, _text)(raw)


@lru_cache(maxsize=1 << 18)
def _normalise_text(name: str, raw: str | None) -> tuple[Any, int]:
    return _PARSERS.get(name, _text)(raw)


def _text(raw: object) -> tuple[str | None, int]:
    text = str(raw).strip() if raw is not None else ""
    return (text or None), 1


def _name(raw: object) -> tuple[str | None, int]:
    parsed, _ = parse_name(raw)
    return (parsed.text if parsed else None), 1


def _id_number(raw: object) -> tuple[str | None, int]:
    parsed, _ = parse_id_number(raw)
    if parsed is None:
        return None, 0
    return parsed.value, 0 if parsed.status is IdStatus.INVALID else 1


def _gender(raw: object) -> tuple[Gender | None, int]:
    parsed, _ = parse_gender(raw)
    return (None if parsed is Gender.UNKNOWN else parsed), 1


def _date(raw: object) -> tuple[date | None, int]:
    parsed, _ = parse_date(raw)
    return parsed, 1


def _phone(raw: object) -> tuple[str | None, int]:
    parsed, _ = parse_phone(raw)
    return (parsed.number if parsed else None), 1


_PARSERS: dict[str, Callable[[object], tuple[Any, int]]] = {
    "name": _name,
    "id_number": _id_number,
    "gender": _gender,
    "birth_date": _date,
    "phone": _phone,
}


def _derive_from_id(values: dict[str, Any], provenance: dict[str, dict[str, str]]) -> None:
    """Birth date and gender from a valid ID number when no record states them."""
    parsed, _ = parse_id_number(values.get("id_number"))
    if parsed is None or parsed.status is IdStatus.INVALID:
        return
    for name, derived in (("birth_date", parsed.birth_date), ("gender", parsed.gender)):
        if values.get(name) is None and derived is not None:
            values[name] = derived
            provenance[name] = {**provenance["id_number"], "derived": "id_number"}


def _timestamp(raw: object, fallback: datetime) -> float:
    if isinstance(raw, datetime):
        return raw.timestamp()
    if isinstance(raw, str) and raw:
        try:
            return datetime.fromisoformat(raw).timestamp()
        except ValueError:
            pass
    return fallback.timestamp()


def _tags(raw: object) -> list[object]:
    return list(raw) if isinstance(raw, list | tuple) else []
