"""Generations: the invisible watermark's payload key, indexed.

Revision ID: 0002_generation_watermark_key
Revises: 0001_initial
Create Date: 2026-11-29

A copy of a video whose C2PA manifest was stripped still carries the
watermark; its payload is a 64-bit key derived from the generation id, which
cannot be inverted, so the key is stored and indexed to find the record.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0002_generation_watermark_key"
down_revision: str | None = "0001_initial"
branch_labels: str | tuple[str, ...] | None = None
depends_on: str | tuple[str, ...] | None = None


def upgrade() -> None:
    op.add_column("generations", sa.Column("watermark_key", sa.String(32), nullable=True))
    op.create_index("ix_generations_watermark_key", "generations", ["watermark_key"])


def downgrade() -> None:
    op.drop_index("ix_generations_watermark_key", table_name="generations")
    with op.batch_alter_table("generations") as batch:
        batch.drop_column("watermark_key")
