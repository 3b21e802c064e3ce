"""Storage: the only place SQL lives (SQLAlchemy Core + Alembic; SQLite or PostgreSQL).

Typical use::

    engine = make_engine(resolve_database_url())
    migrate(engine)
    with session_scope(engine) as session:
        version = RegistryRepository(session).apply(registry, actor="rh-toei")

Each repository works inside the one transaction of the session it is given;
the caller decides where the transaction ends.
"""

from kyodaku.store.claims_repo import Claim, ClaimEvent, ClaimRepository
from kyodaku.store.db import make_engine, migrate, resolve_database_url, session_scope
from kyodaku.store.errors import (
    ConcurrentUpdate,
    DuplicateRecord,
    NotFound,
    RegistryIntegrityError,
    StoreError,
)
from kyodaku.store.generations_repo import Generation, GenerationRepository
from kyodaku.store.ledger_repo import LedgerRepository
from kyodaku.store.references_repo import (
    FrameHash,
    ReferenceMedia,
    ReferenceRepository,
    StoredHash,
)
from kyodaku.store.registry_repo import RegistryRepository, RegistryVersion, SectionChanges
from kyodaku.store.royalties_repo import RoyaltyAccrual, RoyaltyRepository, RoyaltyStatement

__all__ = [
    "Claim",
    "ClaimEvent",
    "ClaimRepository",
    "ConcurrentUpdate",
    "DuplicateRecord",
    "FrameHash",
    "Generation",
    "GenerationRepository",
    "LedgerRepository",
    "NotFound",
    "ReferenceMedia",
    "ReferenceRepository",
    "RegistryIntegrityError",
    "RegistryRepository",
    "RegistryVersion",
    "RoyaltyAccrual",
    "RoyaltyRepository",
    "RoyaltyStatement",
    "SectionChanges",
    "StoreError",
    "StoredHash",
    "make_engine",
    "migrate",
    "resolve_database_url",
    "session_scope",
]
