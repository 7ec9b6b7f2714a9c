"""The one GraphQL schema; this module only assembles it."""

from __future__ import annotations

from typing import Any

import strawberry
from graphql import GraphQLError
from strawberry.extensions import ParserCache, QueryDepthLimiter, ValidationCache

from schema.grid import Grid
from schema.household import Household
from schema.query import Query
from schema.resident import Resident, SourceRecord
from schema.task import Department, Task

MAX_QUERY_DEPTH = 12


class Schema(strawberry.Schema):
    def process_errors(self, errors: list[GraphQLError], execution_context: Any = None) -> None:
        """Errors are classified and logged once, by the HTTP view (yiwang.graphql_view)."""


schema = Schema(
    query=Query,
    types=[Resident, Household, Grid, Task, Department, SourceRecord],
    extensions=[
        lambda: ParserCache(maxsize=256),
        lambda: ValidationCache(maxsize=256),
        lambda: QueryDepthLimiter(max_depth=MAX_QUERY_DEPTH),
    ],
)

__all__ = ["schema"]
