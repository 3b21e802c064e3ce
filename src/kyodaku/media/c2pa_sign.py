"""Sign an MP4 with a C2PA manifest: the last step before a video is released.

The gateway fails closed here: if signing cannot complete, :func:`sign_mp4`
raises a :class:`~kyodaku.media.c2pa_manifest.ProvenanceError` and leaves no
file at ``dst``, so nothing unsigned (or half-written) can be released. The
signed file is written next to ``dst`` and renamed into place only once the SDK
has signed it and verified its own signature (``verify_after_sign``).

Only MP4 is accepted: it is what the generation backends produce, the C2PA SDK
embeds manifests in it, and it cannot embed them in WebM or Matroska at all.
"""

from __future__ import annotations

import os
import time
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import c2pa

from kyodaku.media.c2pa_identity import SigningIdentity
from kyodaku.media.c2pa_manifest import ProvenanceError

MP4_MIME_TYPE = "video/mp4"

#: Offline and strict: no network, and the SDK re-verifies what it just signed.
_SIGNING_SETTINGS = {
    "builder": {"thumbnail": {"enabled": False}},
    "verify": {
        "verify_after_sign": True,
        "remote_manifest_fetch": False,
        "ocsp_fetch": False,
    },
}

_EBML_MAGIC = b"\x1a\x45\xdf\xa3"  # WebM and Matroska
_QUICKTIME_BRAND = b"qt  "


class UnsupportedMediaError(ProvenanceError):
    """The file is not an MP4, so kyodaku cannot seal it."""


class SigningError(ProvenanceError):
    """The C2PA SDK could not sign the file (bad identity, malformed manifest, I/O)."""


@dataclass(frozen=True)
class SignResult:
    """What signing produced: the manifest's label and how long it took."""

    #: The active manifest's label (``urn:c2pa:<uuid>``), as a reader will report it.
    manifest_label: str
    #: Wall time of the whole call, milliseconds (sign, self-verify and rename).
    sign_ms: float


def sign_mp4(
    src: Path, dst: Path, manifest: Mapping[str, Any], identity: SigningIdentity
) -> SignResult:
    """Write ``src`` to ``dst`` with ``manifest`` embedded and signed by ``identity``.

    ``manifest`` is a definition from :func:`kyodaku.media.c2pa_manifest.build_manifest`;
    a manifest label is assigned here unless it already has one. ``dst`` must
    differ from ``src`` and end in ``.mp4``; an existing ``dst`` is replaced.
    """
    started = time.perf_counter()
    src, dst = Path(src), Path(dst)
    _require_mp4_source(src)
    if dst.suffix.lower() != ".mp4":
        raise UnsupportedMediaError(f"signed output must be an .mp4 file, got {dst.name}")
    if dst.exists() and dst.resolve() == src.resolve():
        raise SigningError(f"cannot sign {src} in place: choose a different destination")
    if not isinstance(manifest, Mapping):
        raise SigningError(f"manifest must be a mapping, got {type(manifest).__name__}")
    definition = dict(manifest)
    label = str(definition.setdefault("label", f"urn:c2pa:{uuid.uuid4()}"))

    partial = dst.with_name(f".{dst.name}.{uuid.uuid4().hex}.signing")
    try:
        _sign_into(src, partial, definition, identity)
        os.replace(partial, dst)
    except (c2pa.C2paError, ValueError) as error:
        raise SigningError(f"C2PA signing of {src} failed: {error}") from error
    except OSError as error:
        raise SigningError(f"cannot write signed video {dst}: {error}") from error
    finally:
        partial.unlink(missing_ok=True)
    return SignResult(manifest_label=label, sign_ms=(time.perf_counter() - started) * 1000)


def _sign_into(src: Path, dst: Path, definition: dict[str, Any], identity: SigningIdentity) -> None:
    # A Builder signs once, so every call gets a fresh one (and a fresh Signer).
    signer_info = c2pa.C2paSignerInfo(
        identity.alg,
        identity.cert_chain_pem.encode("ascii"),
        identity.private_key_pem.encode("ascii"),
        None,  # no timestamp authority: the gateway must work offline
    )
    with (
        c2pa.Context.from_dict(_SIGNING_SETTINGS) as context,
        c2pa.Signer.from_info(signer_info) as signer,
        c2pa.Builder(definition, context=context) as builder,
        src.open("rb") as source,
        dst.open("w+b") as destination,
    ):
        builder.sign(signer, MP4_MIME_TYPE, source, destination)


def _require_mp4_source(src: Path) -> None:
    """Refuse anything but an ISO-BMFF MP4 before handing it to the SDK."""
    try:
        with src.open("rb") as handle:
            head = handle.read(12)
    except OSError as error:
        raise SigningError(f"cannot read video to sign {src}: {error}") from error
    if head.startswith(_EBML_MAGIC):
        raise UnsupportedMediaError(
            f"{src} is WebM/Matroska; C2PA manifests can only be embedded in MP4 here"
        )
    if len(head) < 12 or head[4:8] != b"ftyp":
        raise UnsupportedMediaError(f"{src} is not an MP4 file (no ftyp box at its start)")
    if head[8:12] == _QUICKTIME_BRAND:
        raise UnsupportedMediaError(f"{src} is a QuickTime MOV, not an MP4")
