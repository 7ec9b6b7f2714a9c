"""The Mutation root: assembled from each domain's mutations."""

from __future__ import annotations

import strawberry

from schema.identity import IdentityMutation
from schema.source import SourceMutation


@strawberry.type
class Mutation(SourceMutation, IdentityMutation):
    pass
