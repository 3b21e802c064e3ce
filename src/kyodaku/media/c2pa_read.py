"""Read and validate the C2PA manifest of a media file.

Used when a rights holder files a claim, when anyone asks "did kyodaku make
this?", and by the tests that check the gateway's seal. Three questions are
kept apart because they have different answers and different consequences:

* *present* — does the file carry a manifest at all? A file whose manifest was
  stripped (re-muxed, screen-recorded) simply has none: that is a finding, not
  an error, and the invisible watermark is then the way back to the record.
* *valid* — does the manifest still match the bytes and its signature? A file
  changed after signing is reported invalid, with the SDK's status codes.
* *trusted* — does the signer chain to a trust anchor the caller chose? The
  kyodaku development identity is never trusted unless the caller passes its
  root CA; a valid but untrusted manifest is reported as exactly that.

Reading is offline: no remote manifests, no OCSP.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import c2pa
from cryptography import x509

from kyodaku.media.c2pa_identity import DEVELOPMENT_ORGANISATION
from kyodaku.media.c2pa_manifest import (
    GENERATION_LABEL,
    SOFT_BINDING_LABEL,
    ManifestError,
    ProvenanceError,
    decode_soft_binding_value,
)

STATUS_ABSENT = "provenance.absent"
STATUS_INVALID = "provenance.invalid"
STATUS_VALID_UNTRUSTED = "provenance.valid_untrusted"
STATUS_TRUSTED = "provenance.trusted"
#: Added to a report's notices when the signer is the development identity.
NOTICE_DEVELOPMENT_IDENTITY = "provenance.development_identity"

#: kyodaku's own validation code for a manifest the SDK found but could not parse.
MANIFEST_UNREADABLE = "manifest.unreadable"

#: User-facing texts for the status codes (the lead moves them into the catalogue).
# SDK errors that mean "this is not media we can read", as opposed to
# "there is a manifest but it is broken".
_NOT_MEDIA_ERRORS = (
    c2pa.C2paError.NotSupported,
    c2pa.C2paError.Other,
    c2pa.C2paError.Io,
    c2pa.C2paError.FileNotFound,
)


class ProvenanceReadError(ProvenanceError):
    """The file cannot be read as media, or the trust anchors given are unusable."""


@dataclass(frozen=True)
class SignerInfo:
    """Who signed the manifest, as its certificate says."""

    common_name: str | None
    #: Organisation of the issuing CA.
    issuer: str | None
    alg: str | None
    cert_serial_number: str | None


@dataclass(frozen=True)
class ProvenanceReport:
    """What a file's C2PA manifest says and whether it holds up."""

    present: bool
    valid: bool
    #: None when there is no manifest to trust.
    trusted: bool | None
    #: One of the ``STATUS_*`` codes (message codes in :mod:`kyodaku.messages`).
    status: str
    #: C2PA failure codes (e.g. ``assertion.bmffHash.mismatch``,
    #: ``signingCredential.untrusted``); empty when valid and trusted.
    validation_errors: list[str] = field(default_factory=list)
    #: Technical detail from the SDK when the manifest is absent or unreadable.
    reason: str | None = None
    manifest_label: str | None = None
    title: str | None = None
    generation_id: str | None = None
    decision_id: str | None = None
    registry_version: int | None = None
    #: ``{"licence_id", "asset_id", "rights_holder_id"}`` per licensed asset.
    licences: list[dict[str, str]] = field(default_factory=list)
    backend: str | None = None
    model: str | None = None
    created_at: str | None = None
    #: ``{"alg", "payload_hex"}`` from the soft-binding assertion.
    watermark: dict[str, str] | None = None
    signer: SignerInfo | None = None
    development_identity: bool = False
    #: The whole manifest store as the SDK reports it.
    raw: dict[str, Any] = field(default_factory=dict)

    @property
    def notices(self) -> list[str]:
        """Message codes to show besides :attr:`status`."""
        return [NOTICE_DEVELOPMENT_IDENTITY] if self.development_identity else []


def read_manifest(path: Path, trust_anchors_pem: str | None = None) -> ProvenanceReport:
    """Read and validate the manifest of the media file at ``path``.

    ``trust_anchors_pem`` holds the root CAs (PEM) the caller trusts, e.g. the
    development root from :func:`kyodaku.media.c2pa_identity.development_root_ca_pem`;
    without it nothing is trusted. Raises :class:`ProvenanceReadError` when the
    file is not media the SDK can read, and ``FileNotFoundError`` when it does
    not exist.
    """
    path = Path(path)
    settings: dict[str, Any] = {
        "verify": {"verify_trust": True, "remote_manifest_fetch": False, "ocsp_fetch": False}
    }
    if trust_anchors_pem is not None:
        _require_certificates(trust_anchors_pem)
        settings["trust"] = {"user_anchors": trust_anchors_pem}

    with path.open("rb") as stream:
        try:
            with (
                c2pa.Context.from_dict(settings) as context,
                c2pa.Reader(None, stream, None, context) as reader,
            ):
                store = json.loads(reader.json())
        except c2pa.C2paError.ManifestNotFound as error:
            return ProvenanceReport(
                present=False, valid=False, trusted=None, status=STATUS_ABSENT, reason=str(error)
            )
        except _NOT_MEDIA_ERRORS as error:
            raise ProvenanceReadError(f"{path} is not media C2PA can read: {error}") from error
        except c2pa.C2paError as error:
            return ProvenanceReport(
                present=True,
                valid=False,
                trusted=False,
                status=STATUS_INVALID,
                validation_errors=[MANIFEST_UNREADABLE],
                reason=str(error),
            )
    return _report_from_store(store)


def _report_from_store(store: dict[str, Any]) -> ProvenanceReport:
    state = store.get("validation_state")
    valid = state in ("Valid", "Trusted")
    trusted = state == "Trusted"
    status = STATUS_VALID_UNTRUSTED if valid else STATUS_INVALID
    if trusted:
        status = STATUS_TRUSTED
    label = store.get("active_manifest")
    manifest = store.get("manifests", {}).get(label, {}) if label else {}
    generation = _assertion(manifest, GENERATION_LABEL) or {}
    signer = _signer(manifest.get("signature_info"))
    registry_version = generation.get("registry_version")
    return ProvenanceReport(
        present=True,
        valid=valid,
        trusted=trusted,
        status=status,
        validation_errors=_failure_codes(store),
        manifest_label=label,
        title=manifest.get("title"),
        generation_id=generation.get("generation_id"),
        decision_id=generation.get("decision_id"),
        registry_version=registry_version if isinstance(registry_version, int) else None,
        licences=[dict(entry) for entry in generation.get("licences", [])],
        backend=generation.get("backend"),
        model=generation.get("model"),
        created_at=generation.get("created_at"),
        watermark=_watermark(_assertion(manifest, SOFT_BINDING_LABEL)),
        signer=signer,
        development_identity=signer is not None and signer.issuer == DEVELOPMENT_ORGANISATION,
        raw=store,
    )


def _failure_codes(store: dict[str, Any]) -> list[str]:
    """Every failure code the SDK reported, in order, without repeats."""
    entries = list(store.get("validation_status", []))
    active = store.get("validation_results", {}).get("activeManifest", {})
    entries += active.get("failure", [])
    codes: list[str] = []
    for entry in entries:
        code = entry.get("code")
        if code and code not in codes:
            codes.append(code)
    if store.get("validation_state") not in ("Valid", "Trusted") and not codes:
        codes.append(f"validation_state.{store.get('validation_state')}")
    return codes


def _assertion(manifest: dict[str, Any], label: str) -> dict[str, Any] | None:
    for assertion in manifest.get("assertions", []):
        if assertion.get("label") == label and isinstance(assertion.get("data"), dict):
            return assertion["data"]
    return None


def _watermark(soft_binding: dict[str, Any] | None) -> dict[str, str] | None:
    if not soft_binding or not soft_binding.get("blocks"):
        return None
    try:
        payload_hex = decode_soft_binding_value(soft_binding["blocks"][0]["value"])
    except (KeyError, TypeError, ManifestError):
        return None
    return {"alg": soft_binding.get("alg", ""), "payload_hex": payload_hex}


def _signer(signature_info: dict[str, Any] | None) -> SignerInfo | None:
    if not signature_info:
        return None
    return SignerInfo(
        common_name=signature_info.get("common_name"),
        issuer=signature_info.get("issuer"),
        alg=signature_info.get("alg"),
        cert_serial_number=signature_info.get("cert_serial_number"),
    )


def _require_certificates(pem: str) -> None:
    """Reject unusable anchors here: the SDK would report them as a bad signature."""
    try:
        x509.load_pem_x509_certificates(pem.encode("ascii"))
    except (ValueError, UnicodeEncodeError) as error:
        raise ProvenanceReadError(f"trust anchors are not PEM certificates: {error}") from error
