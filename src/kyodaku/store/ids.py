"""Record ids: ULIDs, so ids sort by creation time and need no central counter."""

from __future__ import annotations

from ulid import ULID


def new_id() -> str:
    """A fresh 26-character ULID string."""
    return str(ULID())
