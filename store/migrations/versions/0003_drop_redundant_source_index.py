"""Drop ix_source_record_source: the unique (source, kind, source_id) index has source as
its leading column and serves every lookup by source, so the extra index only slowed
inserts (about 1.5 µs a staged record).

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("source_record", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_source_record_source"))


def downgrade() -> None:
    with op.batch_alter_table("source_record", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_source_record_source"), ["source"], unique=False)
