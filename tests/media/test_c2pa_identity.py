"""Signing identities: the development CA and configured certificate chains."""

from __future__ import annotations

import stat
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from kyodaku.media import c2pa_identity
from kyodaku.media.c2pa_identity import (
    DEV_CHAIN_FILE,
    DEV_KEY_FILE,
    DEV_ROOT_FILE,
    DEVELOPMENT_ORGANISATION,
    ENV_CERT,
    ENV_KEY,
    SigningIdentityError,
    development_root_ca_pem,
    ensure_development_identity,
    load_identity,
    resolve_identity,
)
from kyodaku.media.c2pa_manifest import ProvenanceError


@pytest.fixture(autouse=True)
def no_configured_identity(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ENV_CERT, raising=False)
    monkeypatch.delenv(ENV_KEY, raising=False)


# --- a small CA of our own, to stand in for an operator's configured chain ---


@dataclass
class ExampleChain:
    root: x509.Certificate
    intermediate: x509.Certificate
    leaf: x509.Certificate
    leaf_key: ec.EllipticCurvePrivateKey

    def write(self, directory: Path, *certs: x509.Certificate) -> tuple[Path, Path]:
        cert_path, key_path = directory / "chain.pem", directory / "key.pem"
        cert_path.write_bytes(b"".join(c.public_bytes(serialization.Encoding.PEM) for c in certs))
        key_path.write_bytes(
            self.leaf_key.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
        )
        return cert_path, key_path


def _name(common_name: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Example Broadcaster"),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


def _cert(subject, key, issuer, issuer_key, *, ca: bool, eku: bool = True) -> x509.Certificate:
    now = datetime.now(UTC) - timedelta(minutes=1)
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now)
        .not_valid_after(now + timedelta(days=30))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=not ca,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=ca,
                crl_sign=ca,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
    )
    if not ca and eku:
        builder = builder.add_extension(
            x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), critical=False
        )
    return builder.sign(issuer_key, hashes.SHA256())


def make_chain(*, leaf_eku: bool = True) -> ExampleChain:
    root_key, intermediate_key, leaf_key = (
        ec.generate_private_key(ec.SECP256R1()) for _ in range(3)
    )
    root = _cert(_name("Example Root"), root_key, _name("Example Root"), root_key, ca=True)
    intermediate = _cert(_name("Example CA"), intermediate_key, root.subject, root_key, ca=True)
    leaf = _cert(
        _name("Example Signer"),
        leaf_key,
        intermediate.subject,
        intermediate_key,
        ca=False,
        eku=leaf_eku,
    )
    return ExampleChain(root, intermediate, leaf, leaf_key)


# --- the development identity ---


def test_development_identity_is_a_three_level_chain_that_says_it_is_untrusted(
    tmp_path: Path,
) -> None:
    identity = ensure_development_identity(tmp_path / "dev")

    assert identity.is_development
    assert identity.alg == "es256"
    assert DEVELOPMENT_ORGANISATION in identity.subject
    assert "not trusted" in DEVELOPMENT_ORGANISATION
    leaf, intermediate = x509.load_pem_x509_certificates(identity.cert_chain_pem.encode())
    root = x509.load_pem_x509_certificate(identity.root_ca_pem.encode())
    leaf.verify_directly_issued_by(intermediate)
    intermediate.verify_directly_issued_by(root)
    root.verify_directly_issued_by(root)

    assert leaf.extensions.get_extension_for_class(x509.KeyUsage).value.digital_signature
    ekus = leaf.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
    assert ExtendedKeyUsageOID.EMAIL_PROTECTION in ekus
    assert not leaf.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    for ca in (intermediate, root):
        assert ca.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
        assert ca.extensions.get_extension_for_class(x509.KeyUsage).value.key_cert_sign


def test_development_key_is_private_to_its_owner(tmp_path: Path) -> None:
    ensure_development_identity(tmp_path)
    assert stat.S_IMODE((tmp_path / DEV_KEY_FILE).stat().st_mode) == 0o600
    assert not any(p.name.endswith((".tmp", ".lock")) for p in tmp_path.iterdir())


def test_development_identity_is_reused_on_later_calls(tmp_path: Path) -> None:
    first = ensure_development_identity(tmp_path)
    stored = {name: (tmp_path / name).read_bytes() for name in (DEV_ROOT_FILE, DEV_CHAIN_FILE)}
    second = ensure_development_identity(tmp_path)
    assert second == first
    assert {name: (tmp_path / name).read_bytes() for name in stored} == stored
    assert development_root_ca_pem(tmp_path) == first.root_ca_pem


def test_an_incomplete_development_identity_is_regenerated(tmp_path: Path) -> None:
    first = ensure_development_identity(tmp_path)
    (tmp_path / DEV_ROOT_FILE).unlink()
    second = ensure_development_identity(tmp_path)
    assert second.root_ca_pem != first.root_ca_pem
    assert second.cert_chain_pem != first.cert_chain_pem


def test_a_stale_creation_lock_is_reported_not_waited_on_forever(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(c2pa_identity, "_LOCK_WAIT_SECONDS", 0.1)
    (tmp_path / ".dev-identity.lock").touch()
    with pytest.raises(SigningIdentityError, match="lock"):
        ensure_development_identity(tmp_path)


def test_resolve_prefers_a_configured_identity(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert resolve_identity(tmp_path / "dev").is_development
    chain = make_chain()
    cert_path, key_path = chain.write(tmp_path, chain.leaf, chain.intermediate)
    monkeypatch.setenv(ENV_CERT, str(cert_path))
    monkeypatch.setenv(ENV_KEY, str(key_path))
    configured = resolve_identity(tmp_path / "dev")
    assert not configured.is_development
    assert "Example Signer" in configured.subject


# --- configured identities ---


def test_configured_identity_loads_from_explicit_paths(tmp_path: Path) -> None:
    chain = make_chain()
    cert_path, key_path = chain.write(tmp_path, chain.leaf, chain.intermediate)
    identity = load_identity(cert_path, key_path)
    assert identity.alg == "es256"
    assert not identity.is_development
    assert identity.root_ca_pem is None
    assert identity.subject == chain.leaf.subject.rfc4514_string()
    assert len(x509.load_pem_x509_certificates(identity.cert_chain_pem.encode())) == 2
    assert "PRIVATE KEY" not in repr(identity)


def test_configured_identity_loads_from_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    chain = make_chain()
    cert_path, key_path = chain.write(tmp_path, chain.leaf, chain.intermediate)
    monkeypatch.setenv(ENV_CERT, str(cert_path))
    monkeypatch.setenv(ENV_KEY, str(key_path))
    assert load_identity().subject == chain.leaf.subject.rfc4514_string()


def test_a_root_included_in_the_chain_file_is_left_out(tmp_path: Path) -> None:
    chain = make_chain()
    cert_path, key_path = chain.write(tmp_path, chain.leaf, chain.intermediate, chain.root)
    identity = load_identity(cert_path, key_path)
    assert len(x509.load_pem_x509_certificates(identity.cert_chain_pem.encode())) == 2


def test_the_development_files_also_load_as_a_configured_identity(tmp_path: Path) -> None:
    ensure_development_identity(tmp_path)
    identity = load_identity(tmp_path / DEV_CHAIN_FILE, tmp_path / DEV_KEY_FILE)
    assert identity.is_development


def test_nothing_configured_names_the_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(SigningIdentityError, match=ENV_CERT):
        load_identity()
    monkeypatch.setenv(ENV_CERT, "/somewhere/chain.pem")
    with pytest.raises(SigningIdentityError, match=ENV_KEY):
        load_identity()


def test_unreadable_files_are_named(tmp_path: Path) -> None:
    with pytest.raises(SigningIdentityError, match=r"missing\.pem"):
        load_identity(tmp_path / "missing.pem", tmp_path / "key.pem")
    (tmp_path / "junk.pem").write_text("not a certificate")
    with pytest.raises(SigningIdentityError, match="no PEM certificates"):
        load_identity(tmp_path / "junk.pem", tmp_path / "key.pem")


def test_a_key_that_does_not_match_the_certificate_is_refused(tmp_path: Path) -> None:
    chain, other = make_chain(), make_chain()
    cert_path, _ = chain.write(tmp_path, chain.leaf, chain.intermediate)
    (tmp_path / "other").mkdir()
    _, other_key = other.write(tmp_path / "other", other.leaf)
    with pytest.raises(SigningIdentityError, match="does not match"):
        load_identity(cert_path, other_key)


def test_a_certificate_without_extended_key_usage_is_refused(tmp_path: Path) -> None:
    chain = make_chain(leaf_eku=False)
    cert_path, key_path = chain.write(tmp_path, chain.leaf, chain.intermediate)
    with pytest.raises(SigningIdentityError, match="extended key usage"):
        load_identity(cert_path, key_path)


def test_a_chain_out_of_order_is_refused(tmp_path: Path) -> None:
    chain = make_chain()
    cert_path, key_path = chain.write(tmp_path, chain.leaf, make_chain().intermediate)
    with pytest.raises(SigningIdentityError, match="not issued by"):
        load_identity(cert_path, key_path)


def test_a_self_signed_signing_certificate_is_refused(tmp_path: Path) -> None:
    key = ec.generate_private_key(ec.SECP256R1())
    leaf = _cert(_name("Lone Signer"), key, _name("Lone Signer"), key, ca=False)
    chain = ExampleChain(leaf, leaf, leaf, key)
    cert_path, key_path = chain.write(tmp_path, leaf)
    with pytest.raises(SigningIdentityError, match="self-signed"):
        load_identity(cert_path, key_path)


def test_identity_errors_are_provenance_errors() -> None:
    assert issubclass(SigningIdentityError, ProvenanceError)
