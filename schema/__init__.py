"""The one GraphQL schema; this module only assembles it."""

from __future__ import annotations

from typing import Any

import strawberry
from graphql import GraphQLError
from strawberry.extensions import AddValidationRules, ParserCache, ValidationCache
from strawberry.extensions.query_depth_limiter import create_validator

from schema.grid import Grid
from schema.household import Household
from schema.mutation import Mutation
from schema.query import Query
from schema.resident import Resident, SourceRecord
from schema.task import Department, Task

MAX_QUERY_DEPTH = 12
# Built once: a rule class made per request (as QueryDepthLimiter does) changes the
# ValidationCache key, so every request would be validated again.
DEPTH_RULE = create_validator(MAX_QUERY_DEPTH, should_ignore=None)


class Schema(strawberry.Schema):
    def process_errors(self, errors: list[GraphQLError], execution_context: Any = None) -> None:
        """Errors are classified and logged once, by the HTTP view (yiwang.graphql_view)."""


schema = Schema(
    query=Query,
    mutation=Mutation,
    types=[Resident, Household, Grid, Task, Department, SourceRecord],
    extensions=[
        lambda: ParserCache(maxsize=256),
        lambda: ValidationCache(maxsize=256),
        lambda: AddValidationRules([DEPTH_RULE]),
    ],
)

__all__ = ["schema"]
