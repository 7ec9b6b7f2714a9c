"""GraphQL enums: the store's own enums, registered with strawberry."""

from __future__ import annotations

import strawberry

from store.base import Gender, GridLevel, TaskStatus

strawberry.enum(Gender, description="性别")
strawberry.enum(
    GridLevel,
    description="city 市 > district 区 > street 街道 > community 社区 > grid 网格",
)
strawberry.enum(TaskStatus)

__all__ = ["Gender", "GridLevel", "TaskStatus"]
