"""The schema, as SQLAlchemy Core tables.

The repositories query these; Alembic's migrations create them (and are the
authority on what a database actually holds: a change here needs a new
migration, which ``tests/store/test_migrations.py`` checks).

Ids are ULID strings (26 characters, sortable by creation time), except where
a dense integer is the point: ledger ``seq`` (gaps mean deletion), registry
version ``number`` and fingerprint ``id`` (keyset pagination over millions).
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    CheckConstraint,
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    text,
)

from kyodaku.store.types import ExactDecimal, UTCDateTime

#: Named constraints, so that later migrations (SQLite batch mode) can refer to them.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

metadata = MetaData(naming_convention=NAMING_CONVENTION)

#: A 64-bit integer key that is still SQLite's auto-numbered rowid.
BigId = BigInteger().with_variant(Integer(), "sqlite")

ID = 26  # ULID length
ENTITY_ID = 200
SHA256_HEX = 64

registry_versions = Table(
    "registry_versions",
    metadata,
    Column("number", Integer, primary_key=True, autoincrement=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("actor", String(200), nullable=False),
    Column("summary", JSON, nullable=False),
    Column("digest", String(SHA256_HEX), nullable=False),
)

registry_entities = Table(
    "registry_entities",
    metadata,
    Column("pk", BigId, primary_key=True, autoincrement=True),
    Column("section", String(32), nullable=False),
    Column("entity_id", String(ENTITY_ID), nullable=False),
    Column("position", Integer, nullable=False),
    Column("data", JSON, nullable=False),
    Column(
        "version_added",
        Integer,
        ForeignKey("registry_versions.number"),
        nullable=False,
        index=True,
    ),
    Column("version_removed", Integer, ForeignKey("registry_versions.number"), nullable=True),
    CheckConstraint(
        "section IN ('rights_holders', 'works', 'characters', 'licences')", name="section"
    ),
    CheckConstraint(
        "version_removed IS NULL OR version_removed > version_added", name="valid_time"
    ),
    Index("ix_registry_entities_section_entity", "section", "entity_id"),
    # At most one current row per entity: "current" is version_removed IS NULL.
    Index(
        "uq_registry_entities_current",
        "section",
        "entity_id",
        unique=True,
        sqlite_where=text("version_removed IS NULL"),
        postgresql_where=text("version_removed IS NULL"),
    ),
)

ledger_entries = Table(
    "ledger_entries",
    metadata,
    # Assigned by the ledger repository under a lock, not by a sequence: a
    # sequence skips numbers on rollback, and a gap must mean deletion.
    Column("seq", BigInteger, primary_key=True, autoincrement=False),
    Column("entry_id", String(ID), nullable=False, unique=True),
    Column("kind", String(64), nullable=False, index=True),
    Column("subject_id", String(ENTITY_ID), nullable=False, index=True),
    Column("created_at", UTCDateTime, nullable=False),
    Column("payload", JSON, nullable=False),
    Column("prev_hash", String(SHA256_HEX), nullable=False),
    Column("hash", String(SHA256_HEX), nullable=False),
)

generations = Table(
    "generations",
    metadata,
    Column("id", String(ID), primary_key=True),
    Column("request_id", String(ENTITY_ID), nullable=False, unique=True),
    Column("decision_id", String(ENTITY_ID), nullable=True),
    Column("status", String(16), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("creator", String(ENTITY_ID), nullable=False, index=True),
    Column("backend", String(64), nullable=False),
    Column("model", String(200), nullable=True),
    Column("registry_version", Integer, nullable=False),
    Column("prompt", Text, nullable=False),
    Column("output_sha256", String(SHA256_HEX), nullable=True, index=True),
    Column("output_path", Text, nullable=True),
    Column("metadata", JSON, nullable=False),
    Column("watermark_key", String(32), nullable=True, index=True),
    CheckConstraint("status IN ('released', 'withdrawn')", name="status"),
)

royalty_accruals = Table(
    "royalty_accruals",
    metadata,
    Column("id", String(ID), primary_key=True),
    Column("generation_id", String(ID), ForeignKey("generations.id"), nullable=False),
    Column("licence_id", String(ENTITY_ID), nullable=False),
    Column("asset_id", String(ENTITY_ID), nullable=False),
    Column("rights_holder_id", String(ENTITY_ID), nullable=False),
    Column("rate", ExactDecimal, nullable=False),
    Column("declared_value", ExactDecimal, nullable=False),
    Column("amount", ExactDecimal, nullable=False),
    Column("currency", String(3), nullable=False),
    Column("period", String(7), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column(
        "ledger_entry_id",
        String(ID),
        ForeignKey("ledger_entries.entry_id"),
        nullable=False,
        unique=True,
    ),
    # A retried generation must never accrue the same royalty twice.
    UniqueConstraint("generation_id", "licence_id", "asset_id", name="uq_royalty_accruals_once"),
    Index("ix_royalty_accruals_holder_period", "rights_holder_id", "period"),
)

claims = Table(
    "claims",
    metadata,
    Column("id", String(ID), primary_key=True),
    Column("rights_holder_id", String(ENTITY_ID), nullable=False, index=True),
    Column("asset_id", String(ENTITY_ID), nullable=False),
    Column("generation_id", String(ID), ForeignKey("generations.id"), nullable=True, index=True),
    Column("video_sha256", String(SHA256_HEX), nullable=True),
    Column("state", String(32), nullable=False, index=True),
    Column("reason", Text, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("ack_due", UTCDateTime, nullable=True),
    Column("decision_due", UTCDateTime, nullable=True),
    Column("creator_response", Text, nullable=True),
    Column("resolution", JSON, nullable=True),
    Column("evidence", JSON, nullable=False),
    Column("row_version", Integer, nullable=False),
)

claim_events = Table(
    "claim_events",
    metadata,
    Column("id", String(ID), primary_key=True),
    Column("claim_id", String(ID), ForeignKey("claims.id"), nullable=False, index=True),
    Column("at", UTCDateTime, nullable=False),
    Column("from_state", String(32), nullable=True),
    Column("to_state", String(32), nullable=False),
    Column("actor", String(ENTITY_ID), nullable=False),
    Column("note", Text, nullable=True),
)

reference_media = Table(
    "reference_media",
    metadata,
    Column("id", String(ID), primary_key=True),
    Column("asset_id", String(ENTITY_ID), nullable=False, index=True),
    Column("added_by", String(ENTITY_ID), nullable=False),
    Column("filename", Text, nullable=False),
    Column("sha256", String(SHA256_HEX), nullable=False),
    Column("media_kind", String(8), nullable=False),
    Column("width", Integer, nullable=False),
    Column("height", Integer, nullable=False),
    Column("duration", Float, nullable=True),
    Column("frame_count", Integer, nullable=True),
    Column("added_at", UTCDateTime, nullable=False),
    CheckConstraint("media_kind IN ('image', 'video')", name="media_kind"),
    UniqueConstraint("asset_id", "sha256", name="uq_reference_media_asset_file"),
)

fingerprints = Table(
    "fingerprints",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("owner_kind", String(16), nullable=False),
    Column("owner_id", String(ID), nullable=False),
    Column("t_seconds", Float, nullable=False),
    Column("variant", String(16), nullable=False),
    Column("hash", LargeBinary(32), nullable=False),
    Column("quality", Integer, nullable=False),
    CheckConstraint("owner_kind IN ('reference', 'generation')", name="owner_kind"),
    CheckConstraint("length(hash) = 32", name="hash_length"),
    Index("ix_fingerprints_owner", "owner_kind", "owner_id"),
)
