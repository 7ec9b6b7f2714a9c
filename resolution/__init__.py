"""Identity resolution against the store: the department records staged by the
connectors become residents and households, keeping their IDs from run to run.

``identity`` holds the stages and knows nothing of the store; this package loads what
they need, runs them and writes what they decided (residents with per-field provenance,
households with heads and relations, events, explanations, review pairs).
"""

from resolution.run import ResolveSummary, resolve_store

__all__ = ["ResolveSummary", "resolve_store"]
