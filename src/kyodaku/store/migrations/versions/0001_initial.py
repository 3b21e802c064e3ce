"""Initial schema: registry versions, ledger, generations, royalties, claims, references.

Revision ID: 0001_initial
Revises:
Create Date: 2025-01-01

Written out in full rather than imported from ``tables.py``: a migration must
keep creating the schema of its day however the tables evolve later. The two
column types come from ``kyodaku.store.types`` because their storage format
(UTC instants, exact decimals) is itself part of the schema.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from kyodaku.store.types import ExactDecimal, UTCDateTime

revision: str = "0001_initial"
down_revision: str | None = None
branch_labels: str | tuple[str, ...] | None = None
depends_on: str | tuple[str, ...] | None = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
CURRENT_ROW = sa.text("version_removed IS NULL")


def upgrade() -> None:
    op.create_table(
        "registry_versions",
        sa.Column("number", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("actor", sa.String(200), nullable=False),
        sa.Column("summary", sa.JSON(), nullable=False),
        sa.Column("digest", sa.String(64), nullable=False),
        sa.PrimaryKeyConstraint("number", name="pk_registry_versions"),
    )
    op.create_table(
        "registry_entities",
        sa.Column("pk", BigId, autoincrement=True, nullable=False),
        sa.Column("section", sa.String(32), nullable=False),
        sa.Column("entity_id", sa.String(200), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("version_added", sa.Integer(), nullable=False),
        sa.Column("version_removed", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "section IN ('rights_holders', 'works', 'characters', 'licences')",
            name="ck_registry_entities_section",
        ),
        sa.CheckConstraint(
            "version_removed IS NULL OR version_removed > version_added",
            name="ck_registry_entities_valid_time",
        ),
        sa.ForeignKeyConstraint(
            ["version_added"],
            ["registry_versions.number"],
            name="fk_registry_entities_version_added_registry_versions",
        ),
        sa.ForeignKeyConstraint(
            ["version_removed"],
            ["registry_versions.number"],
            name="fk_registry_entities_version_removed_registry_versions",
        ),
        sa.PrimaryKeyConstraint("pk", name="pk_registry_entities"),
    )
    op.create_index("ix_registry_entities_version_added", "registry_entities", ["version_added"])
    op.create_index(
        "ix_registry_entities_section_entity", "registry_entities", ["section", "entity_id"]
    )
    op.create_index(
        "uq_registry_entities_current",
        "registry_entities",
        ["section", "entity_id"],
        unique=True,
        sqlite_where=CURRENT_ROW,
        postgresql_where=CURRENT_ROW,
    )

    op.create_table(
        "ledger_entries",
        sa.Column("seq", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("entry_id", sa.String(26), nullable=False),
        sa.Column("kind", sa.String(64), nullable=False),
        sa.Column("subject_id", sa.String(200), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("prev_hash", sa.String(64), nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
        sa.PrimaryKeyConstraint("seq", name="pk_ledger_entries"),
        sa.UniqueConstraint("entry_id", name="uq_ledger_entries_entry_id"),
    )
    op.create_index("ix_ledger_entries_kind", "ledger_entries", ["kind"])
    op.create_index("ix_ledger_entries_subject_id", "ledger_entries", ["subject_id"])

    op.create_table(
        "generations",
        sa.Column("id", sa.String(26), nullable=False),
        sa.Column("request_id", sa.String(200), nullable=False),
        sa.Column("decision_id", sa.String(200), nullable=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("creator", sa.String(200), nullable=False),
        sa.Column("backend", sa.String(64), nullable=False),
        sa.Column("model", sa.String(200), nullable=True),
        sa.Column("registry_version", sa.Integer(), nullable=False),
        sa.Column("prompt", sa.Text(), nullable=False),
        sa.Column("output_sha256", sa.String(64), nullable=True),
        sa.Column("output_path", sa.Text(), nullable=True),
        sa.Column("metadata", sa.JSON(), nullable=False),
        sa.CheckConstraint("status IN ('released', 'withdrawn')", name="ck_generations_status"),
        sa.PrimaryKeyConstraint("id", name="pk_generations"),
        sa.UniqueConstraint("request_id", name="uq_generations_request_id"),
    )
    op.create_index("ix_generations_creator", "generations", ["creator"])
    op.create_index("ix_generations_output_sha256", "generations", ["output_sha256"])

    op.create_table(
        "royalty_accruals",
        sa.Column("id", sa.String(26), nullable=False),
        sa.Column("generation_id", sa.String(26), nullable=False),
        sa.Column("licence_id", sa.String(200), nullable=False),
        sa.Column("asset_id", sa.String(200), nullable=False),
        sa.Column("rights_holder_id", sa.String(200), nullable=False),
        sa.Column("rate", ExactDecimal(), nullable=False),
        sa.Column("declared_value", ExactDecimal(), nullable=False),
        sa.Column("amount", ExactDecimal(), nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("period", sa.String(7), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("ledger_entry_id", sa.String(26), nullable=False),
        sa.ForeignKeyConstraint(
            ["generation_id"],
            ["generations.id"],
            name="fk_royalty_accruals_generation_id_generations",
        ),
        sa.ForeignKeyConstraint(
            ["ledger_entry_id"],
            ["ledger_entries.entry_id"],
            name="fk_royalty_accruals_ledger_entry_id_ledger_entries",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_royalty_accruals"),
        sa.UniqueConstraint(
            "generation_id", "licence_id", "asset_id", name="uq_royalty_accruals_once"
        ),
        sa.UniqueConstraint("ledger_entry_id", name="uq_royalty_accruals_ledger_entry_id"),
    )
    op.create_index(
        "ix_royalty_accruals_holder_period",
        "royalty_accruals",
        ["rights_holder_id", "period"],
    )

    op.create_table(
        "claims",
        sa.Column("id", sa.String(26), nullable=False),
        sa.Column("rights_holder_id", sa.String(200), nullable=False),
        sa.Column("asset_id", sa.String(200), nullable=False),
        sa.Column("generation_id", sa.String(26), nullable=True),
        sa.Column("video_sha256", sa.String(64), nullable=True),
        sa.Column("state", sa.String(32), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("ack_due", UTCDateTime(), nullable=True),
        sa.Column("decision_due", UTCDateTime(), nullable=True),
        sa.Column("creator_response", sa.Text(), nullable=True),
        sa.Column("resolution", sa.JSON(), nullable=True),
        sa.Column("evidence", sa.JSON(), nullable=False),
        sa.Column("row_version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["generation_id"], ["generations.id"], name="fk_claims_generation_id_generations"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_claims"),
    )
    op.create_index("ix_claims_rights_holder_id", "claims", ["rights_holder_id"])
    op.create_index("ix_claims_generation_id", "claims", ["generation_id"])
    op.create_index("ix_claims_state", "claims", ["state"])

    op.create_table(
        "claim_events",
        sa.Column("id", sa.String(26), nullable=False),
        sa.Column("claim_id", sa.String(26), nullable=False),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.Column("from_state", sa.String(32), nullable=True),
        sa.Column("to_state", sa.String(32), nullable=False),
        sa.Column("actor", sa.String(200), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["claim_id"], ["claims.id"], name="fk_claim_events_claim_id_claims"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_claim_events"),
    )
    op.create_index("ix_claim_events_claim_id", "claim_events", ["claim_id"])

    op.create_table(
        "reference_media",
        sa.Column("id", sa.String(26), nullable=False),
        sa.Column("asset_id", sa.String(200), nullable=False),
        sa.Column("added_by", sa.String(200), nullable=False),
        sa.Column("filename", sa.Text(), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("media_kind", sa.String(8), nullable=False),
        sa.Column("width", sa.Integer(), nullable=False),
        sa.Column("height", sa.Integer(), nullable=False),
        sa.Column("duration", sa.Float(), nullable=True),
        sa.Column("frame_count", sa.Integer(), nullable=True),
        sa.Column("added_at", UTCDateTime(), nullable=False),
        sa.CheckConstraint(
            "media_kind IN ('image', 'video')", name="ck_reference_media_media_kind"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_reference_media"),
        sa.UniqueConstraint("asset_id", "sha256", name="uq_reference_media_asset_file"),
    )
    op.create_index("ix_reference_media_asset_id", "reference_media", ["asset_id"])

    op.create_table(
        "fingerprints",
        sa.Column("id", BigId, autoincrement=True, nullable=False),
        sa.Column("owner_kind", sa.String(16), nullable=False),
        sa.Column("owner_id", sa.String(26), nullable=False),
        sa.Column("t_seconds", sa.Float(), nullable=False),
        sa.Column("variant", sa.String(16), nullable=False),
        sa.Column("hash", sa.LargeBinary(32), nullable=False),
        sa.Column("quality", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "owner_kind IN ('reference', 'generation')", name="ck_fingerprints_owner_kind"
        ),
        sa.CheckConstraint("length(hash) = 32", name="ck_fingerprints_hash_length"),
        sa.PrimaryKeyConstraint("id", name="pk_fingerprints"),
    )
    op.create_index("ix_fingerprints_owner", "fingerprints", ["owner_kind", "owner_id"])


def downgrade() -> None:
    for table in (
        "fingerprints",
        "reference_media",
        "claim_events",
        "claims",
        "royalty_accruals",
        "generations",
        "ledger_entries",
        "registry_entities",
        "registry_versions",
    ):
        op.drop_table(table)
