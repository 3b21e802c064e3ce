"""What can go wrong in storage, named so callers can react to each case."""

from __future__ import annotations


class StoreError(RuntimeError):
    """Base class for storage errors."""


class NotFound(StoreError, LookupError):
    """The record asked for does not exist."""


class ConcurrentUpdate(StoreError):
    """Someone else changed the record since it was read (optimistic concurrency)."""


class RegistryIntegrityError(StoreError):
    """The stored registry does not match the digest recorded for its version."""


class DuplicateRecord(StoreError):
    """A record that must be unique already exists (and is not the same request)."""
