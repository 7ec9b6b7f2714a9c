"""Print the schema's SDL: ``python -m yiwang.print_schema > schema.graphql``."""

from schema import schema

print(schema.as_str())
