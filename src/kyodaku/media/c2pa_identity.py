"""The identity that signs kyodaku's C2PA manifests.

In production an operator configures a certificate chain and private key
issued by a CA that verifiers trust (``KYODAKU_C2PA_CERT`` and
``KYODAKU_C2PA_KEY``, or explicit paths). Without one, the gateway still must
not release unsigned video, so it creates a local *development* identity: a
root CA, an intermediate CA and an end-entity signing certificate whose
organisation reads "kyodaku development identity — not trusted". Its root is
exposed so a user can choose to trust their own development signatures; no one
else will.

The C2PA SDK's certificate profile is strict and its errors are terse, so
loading checks the profile up front (key usage, extended key usage, chain
order, key matches certificate, validity) and names what is wrong.
"""

from __future__ import annotations

import itertools
import os
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID, ObjectIdentifier

from kyodaku.media.c2pa_manifest import ProvenanceError

#: Organisation of every development certificate; readers use it to flag them.
DEVELOPMENT_ORGANISATION = "kyodaku development identity — not trusted"

ENV_CERT = "KYODAKU_C2PA_CERT"
ENV_KEY = "KYODAKU_C2PA_KEY"

DEV_ROOT_FILE = "dev-root-ca.pem"
DEV_CHAIN_FILE = "dev-signing-chain.pem"
DEV_KEY_FILE = "dev-signing-key.pem"
_DEV_LOCK_FILE = ".dev-identity.lock"

#: Extended key usages the C2PA certificate profile accepts for claim signing.
C2PA_SIGNING_EKUS = frozenset(
    {
        ExtendedKeyUsageOID.EMAIL_PROTECTION,
        ObjectIdentifier("1.3.6.1.5.5.7.3.36"),  # id-kp-documentSigning
        ObjectIdentifier("1.3.6.1.4.1.62558.2.1"),  # c2pa-kp-claimSigning
        ObjectIdentifier("1.3.6.1.4.1.311.76.59.1.9"),  # Microsoft C2PA signing
    }
)
_DOCUMENT_SIGNING = ObjectIdentifier("1.3.6.1.5.5.7.3.36")

_CA_VALIDITY = timedelta(days=3650)
_SIGNER_VALIDITY = timedelta(days=1825)
_LOCK_WAIT_SECONDS = 10.0


class SigningIdentityError(ProvenanceError):
    """No usable signing identity: missing, unreadable or not fit for C2PA."""


@dataclass(frozen=True)
class SigningIdentity:
    """A certificate chain and private key ready to sign C2PA manifests."""

    #: End-entity certificate first, then intermediates; never the root.
    cert_chain_pem: str
    private_key_pem: str = field(repr=False)
    #: C2PA signing algorithm name: es256, es384, es512, ps256 or ed25519.
    alg: str
    #: True for the local development identity that nobody else trusts.
    is_development: bool
    #: RFC 4514 subject of the end-entity certificate.
    subject: str
    #: The development root CA (a trust anchor the user may opt into); None otherwise.
    root_ca_pem: str | None = None


def load_identity(
    cert_path: Path | str | None = None, key_path: Path | str | None = None
) -> SigningIdentity:
    """Load a configured identity from PEM files.

    Paths default to the ``KYODAKU_C2PA_CERT`` and ``KYODAKU_C2PA_KEY``
    environment variables. The certificate file holds the end-entity
    certificate followed by its intermediates; a trailing self-signed root is
    dropped, since C2PA chains must not include it.
    """
    cert_path = cert_path if cert_path is not None else os.environ.get(ENV_CERT) or None
    key_path = key_path if key_path is not None else os.environ.get(ENV_KEY) or None
    if cert_path is None and key_path is None:
        raise SigningIdentityError(
            f"no C2PA signing identity configured: set {ENV_CERT} and {ENV_KEY}"
        )
    if cert_path is None or key_path is None:
        missing = ENV_CERT if cert_path is None else ENV_KEY
        raise SigningIdentityError(f"incomplete C2PA signing identity: {missing} is not set")
    chain = _read_chain(Path(cert_path))
    key = _read_key(Path(key_path))
    return _identity_from(chain, key, source=str(cert_path))


def is_identity_configured() -> bool:
    """Whether the environment names a signing identity (even a broken one)."""
    return bool(os.environ.get(ENV_CERT) or os.environ.get(ENV_KEY))


def resolve_identity(development_directory: Path) -> SigningIdentity:
    """The configured identity if there is one, else the development identity."""
    if is_identity_configured():
        return load_identity()
    return ensure_development_identity(development_directory)


def ensure_development_identity(directory: Path) -> SigningIdentity:
    """Return the development identity stored in ``directory``, creating it once.

    Later calls (and other processes) reuse the stored files, so signatures
    made on one run verify against the same root on the next. Creation is
    serialised by a lock file so two processes starting together agree on one
    identity. The private key is written with mode 0600.
    """
    directory = Path(directory)
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    if not _development_files_complete(directory):
        _create_development_identity_once(directory)
    return load_development_identity(directory)


def load_development_identity(directory: Path) -> SigningIdentity:
    """Load the development identity from ``directory`` (it must exist)."""
    directory = Path(directory)
    if not _development_files_complete(directory):
        raise SigningIdentityError(f"no complete development identity in {directory}")
    root = _read_chain(directory / DEV_ROOT_FILE)[0]
    chain = _read_chain(directory / DEV_CHAIN_FILE)
    key = _read_key(directory / DEV_KEY_FILE)
    identity = _identity_from(chain, key, source=str(directory / DEV_CHAIN_FILE))
    if not identity.is_development:
        raise SigningIdentityError(
            f"{directory / DEV_CHAIN_FILE} is not a kyodaku development certificate"
        )
    _require_issued_by(chain[-1], root, f"{directory / DEV_CHAIN_FILE} (last certificate)")
    return SigningIdentity(
        cert_chain_pem=identity.cert_chain_pem,
        private_key_pem=identity.private_key_pem,
        alg=identity.alg,
        is_development=True,
        subject=identity.subject,
        root_ca_pem=_pem(root),
    )


def development_root_ca_pem(directory: Path) -> str:
    """The development root CA, for a user who chooses to trust it when verifying."""
    path = Path(directory) / DEV_ROOT_FILE
    try:
        return path.read_text(encoding="ascii")
    except OSError as error:
        raise SigningIdentityError(f"cannot read development root CA {path}: {error}") from error


# --- loading and checking -------------------------------------------------


def _read_chain(path: Path) -> list[x509.Certificate]:
    try:
        data = path.read_bytes()
    except OSError as error:
        raise SigningIdentityError(f"cannot read certificate file {path}: {error}") from error
    try:
        chain = x509.load_pem_x509_certificates(data)
    except ValueError as error:
        raise SigningIdentityError(f"{path} holds no PEM certificates: {error}") from error
    return chain


def _read_key(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as error:
        raise SigningIdentityError(f"cannot read private key file {path}: {error}") from error


def _identity_from(
    chain: Sequence[x509.Certificate], key_pem: bytes, *, source: str
) -> SigningIdentity:
    chain = list(chain)
    if len(chain) > 1 and _is_self_signed(chain[-1]):
        chain = chain[:-1]
    leaf = chain[0]
    if _is_self_signed(leaf):
        raise SigningIdentityError(
            f"{source}: the signing certificate is self-signed; C2PA needs one issued by a CA"
        )
    _check_signing_certificate(leaf, source)
    for index, (child, parent) in enumerate(itertools.pairwise(chain)):
        _require_issued_by(child, parent, f"{source} (certificate {index})")
    try:
        key = serialization.load_pem_private_key(key_pem, password=None)
    except (ValueError, TypeError) as error:
        raise SigningIdentityError(
            f"private key for {source} is not an unencrypted PEM private key: {error}"
        ) from error
    if _public_der(key.public_key()) != _public_der(leaf.public_key()):
        raise SigningIdentityError(
            f"private key does not match the signing certificate in {source}"
        )
    return SigningIdentity(
        cert_chain_pem="".join(_pem(cert) for cert in chain),
        private_key_pem=key_pem.decode("ascii"),
        alg=_c2pa_alg(key, source),
        is_development=_organisation(leaf) == DEVELOPMENT_ORGANISATION,
        subject=leaf.subject.rfc4514_string(),
    )


def _check_signing_certificate(leaf: x509.Certificate, source: str) -> None:
    """Apply the parts of the C2PA certificate profile that make signing fail."""
    now = datetime.now(UTC)
    if not leaf.not_valid_before_utc <= now <= leaf.not_valid_after_utc:
        raise SigningIdentityError(
            f"signing certificate in {source} is not valid now (valid "
            f"{leaf.not_valid_before_utc:%Y-%m-%d} to {leaf.not_valid_after_utc:%Y-%m-%d})"
        )
    extensions = leaf.extensions
    try:
        if extensions.get_extension_for_class(x509.BasicConstraints).value.ca:
            raise SigningIdentityError(f"signing certificate in {source} is a CA certificate")
    except x509.ExtensionNotFound:
        pass
    try:
        usage = extensions.get_extension_for_class(x509.KeyUsage).value
    except x509.ExtensionNotFound as error:
        raise SigningIdentityError(
            f"signing certificate in {source} has no key usage extension (needs digitalSignature)"
        ) from error
    if not usage.digital_signature:
        raise SigningIdentityError(
            f"signing certificate in {source} lacks the digitalSignature key usage"
        )
    try:
        ekus = set(extensions.get_extension_for_class(x509.ExtendedKeyUsage).value)
    except x509.ExtensionNotFound as error:
        raise SigningIdentityError(
            f"signing certificate in {source} has no extended key usage; C2PA needs one of "
            "emailProtection, documentSigning or c2pa claimSigning"
        ) from error
    if ExtendedKeyUsageOID.ANY_EXTENDED_KEY_USAGE in ekus or not ekus & C2PA_SIGNING_EKUS:
        raise SigningIdentityError(
            f"signing certificate in {source} has extended key usages "
            f"{sorted(oid.dotted_string for oid in ekus)}; C2PA needs emailProtection, "
            "documentSigning or c2pa claimSigning, and forbids anyExtendedKeyUsage"
        )


def _require_issued_by(child: x509.Certificate, parent: x509.Certificate, where: str) -> None:
    try:
        child.verify_directly_issued_by(parent)
    except (ValueError, TypeError, InvalidSignature) as error:
        raise SigningIdentityError(
            f"{where}: {child.subject.rfc4514_string()} is not issued by "
            f"{parent.subject.rfc4514_string()} (chain out of order or incomplete)"
        ) from error


def _c2pa_alg(key: object, source: str) -> str:
    if isinstance(key, ec.EllipticCurvePrivateKey):
        by_curve = {"secp256r1": "es256", "secp384r1": "es384", "secp521r1": "es512"}
        if key.curve.name in by_curve:
            return by_curve[key.curve.name]
        raise SigningIdentityError(f"{source}: elliptic curve {key.curve.name} is not C2PA")
    if isinstance(key, ed25519.Ed25519PrivateKey):
        return "ed25519"
    if isinstance(key, rsa.RSAPrivateKey):
        return "ps256"
    raise SigningIdentityError(f"{source}: unsupported key type {type(key).__name__}")


def _is_self_signed(cert: x509.Certificate) -> bool:
    if cert.subject != cert.issuer:
        return False
    try:
        cert.verify_directly_issued_by(cert)
    except (ValueError, TypeError, InvalidSignature):
        return False
    return True


def _organisation(cert: x509.Certificate) -> str | None:
    names = cert.subject.get_attributes_for_oid(NameOID.ORGANIZATION_NAME)
    return str(names[0].value) if names else None


def _public_der(public_key: object) -> bytes:
    return public_key.public_bytes(  # type: ignore[attr-defined]
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )


def _pem(cert: x509.Certificate) -> str:
    return cert.public_bytes(serialization.Encoding.PEM).decode("ascii")


# --- creating the development identity ------------------------------------


def _development_files_complete(directory: Path) -> bool:
    names = (DEV_ROOT_FILE, DEV_CHAIN_FILE, DEV_KEY_FILE)
    return all((directory / name).is_file() for name in names)


def _create_development_identity_once(directory: Path) -> None:
    """Create the identity unless another process is doing so; then wait for it."""
    lock = directory / _DEV_LOCK_FILE
    try:
        descriptor = os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    except FileExistsError:
        _wait_for_other_creator(directory, lock)
        return
    try:
        # A crashed earlier attempt may have left some files; regenerate them all.
        if not _development_files_complete(directory):
            _write_development_identity(directory)
    finally:
        os.close(descriptor)
        lock.unlink(missing_ok=True)


def _wait_for_other_creator(directory: Path, lock: Path) -> None:
    deadline = time.monotonic() + _LOCK_WAIT_SECONDS
    while time.monotonic() < deadline:
        if not lock.exists() and _development_files_complete(directory):
            return
        time.sleep(0.05)
    raise SigningIdentityError(
        f"{lock} exists but no development identity appeared: another process is creating "
        "it or crashed; delete the lock file if no kyodaku process is running"
    )


def _write_development_identity(directory: Path) -> None:
    now = datetime.now(UTC) - timedelta(minutes=5)  # tolerate small clock skew
    root_key, intermediate_key, signer_key = (
        ec.generate_private_key(ec.SECP256R1()) for _ in range(3)
    )
    root_name = _development_name("kyodaku development root CA")
    root = _certificate(
        subject=root_name,
        subject_key=root_key,
        issuer=root_name,
        issuer_key=root_key,
        not_before=now,
        validity=_CA_VALIDITY,
        ca_path_length=1,
    )
    intermediate = _certificate(
        subject=_development_name("kyodaku development intermediate CA"),
        subject_key=intermediate_key,
        issuer=root.subject,
        issuer_key=root_key,
        not_before=now,
        validity=_CA_VALIDITY,
        ca_path_length=0,
    )
    signer = _certificate(
        subject=_development_name("kyodaku development signer"),
        subject_key=signer_key,
        issuer=intermediate.subject,
        issuer_key=intermediate_key,
        not_before=now,
        validity=_SIGNER_VALIDITY,
        ca_path_length=None,
    )
    # The CA keys are discarded: nothing can issue more certificates under this root.
    key_pem = signer_key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    _write_atomically(directory / DEV_KEY_FILE, key_pem, mode=0o600)
    _write_atomically(directory / DEV_CHAIN_FILE, (_pem(signer) + _pem(intermediate)).encode())
    _write_atomically(directory / DEV_ROOT_FILE, _pem(root).encode())


def _development_name(common_name: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, DEVELOPMENT_ORGANISATION),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


def _certificate(
    *,
    subject: x509.Name,
    subject_key: ec.EllipticCurvePrivateKey,
    issuer: x509.Name,
    issuer_key: ec.EllipticCurvePrivateKey,
    not_before: datetime,
    validity: timedelta,
    ca_path_length: int | None,
) -> x509.Certificate:
    """One certificate of the development chain; ``ca_path_length`` None means end-entity."""
    is_ca = ca_path_length is not None
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(subject_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before)
        .not_valid_after(not_before + validity)
        .add_extension(x509.BasicConstraints(ca=is_ca, path_length=ca_path_length), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=not is_ca,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=is_ca,
                crl_sign=is_ca,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(
            x509.SubjectKeyIdentifier.from_public_key(subject_key.public_key()), critical=False
        )
    )
    if subject_key is not issuer_key:
        builder = builder.add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_key.public_key()),
            critical=False,
        )
    if not is_ca:
        builder = builder.add_extension(
            x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION, _DOCUMENT_SIGNING]),
            critical=False,
        )
    return builder.sign(issuer_key, hashes.SHA256())


def _write_atomically(path: Path, data: bytes, mode: int = 0o644) -> None:
    """Write via a temporary file so a reader never sees half a PEM file."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temporary.unlink(missing_ok=True)  # a leftover would keep its old permissions
    descriptor = os.open(temporary, os.O_CREAT | os.O_TRUNC | os.O_WRONLY, mode)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)
