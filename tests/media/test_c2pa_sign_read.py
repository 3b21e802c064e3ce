"""Seal a real (tiny) H.264/AAC MP4, then read the seal back, tamper with it, strip it."""

from __future__ import annotations

import dataclasses
import fractions
from datetime import UTC, datetime
from pathlib import Path

import av
import numpy as np
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from kyodaku.media.c2pa_identity import SigningIdentity, ensure_development_identity
from kyodaku.media.c2pa_manifest import (
    ACTIONS_LABEL,
    TRAINED_ALGORITHMIC_MEDIA,
    TRAINING_MINING_LABEL,
    WATERMARK_ALG,
    ProvenanceError,
    build_manifest,
)
from kyodaku.media.c2pa_read import (
    NOTICE_DEVELOPMENT_IDENTITY,
    STATUS_ABSENT,
    STATUS_INVALID,
    STATUS_TRUSTED,
    STATUS_VALID_UNTRUSTED,
    ProvenanceReadError,
    read_manifest,
)
from kyodaku.media.c2pa_sign import SigningError, UnsupportedMediaError, sign_mp4
from kyodaku.messages import CATALOGUE

LICENCES = [
    {"licence_id": "lic_1", "asset_id": "chr_pikarin", "rights_holder_id": "rh_studio"},
]
WATERMARK = {"alg": WATERMARK_ALG, "payload_hex": "a1b2c3d4e5f60718"}


def write_tiny_mp4(path: Path, seconds: int = 1) -> Path:
    """Colour frames and a 440 Hz tone, H.264 + AAC: a real MP4, a few kB."""
    fps, rate, width, height = 10, 16000, 64, 48
    with av.open(str(path), "w") as container:
        video = container.add_stream("libx264", rate=fps)
        video.width, video.height, video.pix_fmt = width, height, "yuv420p"
        audio = container.add_stream("aac", rate=rate)
        audio.layout = "mono"
        for index in range(seconds * fps):
            colour = (index * 20 % 256, 120, 255 - index * 20 % 256)
            frame = np.full((height, width, 3), colour, dtype=np.uint8)
            container.mux(video.encode(av.VideoFrame.from_ndarray(frame, format="rgb24")))
        tone = (0.3 * np.sin(2 * np.pi * 440 * np.arange(seconds * rate) / rate)).astype(np.float32)
        for start in range(0, len(tone) - 1024 + 1, 1024):
            frame = av.AudioFrame.from_ndarray(
                tone[None, start : start + 1024], format="fltp", layout="mono"
            )
            frame.sample_rate, frame.pts = rate, start
            frame.time_base = fractions.Fraction(1, rate)
            container.mux(audio.encode(frame))
        container.mux(video.encode())
        container.mux(audio.encode())
    return path


def remux(src: Path, dst: Path) -> Path:
    """Copy the audio and video packets into a new MP4, as a re-uploader would."""
    with av.open(str(src)) as source, av.open(str(dst), "w") as target:
        streams = {s.index: target.add_stream_from_template(s) for s in source.streams}
        for packet in source.demux():
            if packet.dts is None:
                continue
            packet.stream = streams[packet.stream.index]
            target.mux(packet)
    return dst


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("c2pa")


@pytest.fixture(scope="module")
def unsigned_mp4(workdir: Path) -> Path:
    return write_tiny_mp4(workdir / "unsigned.mp4")


@pytest.fixture(scope="module")
def identity(workdir: Path) -> SigningIdentity:
    return ensure_development_identity(workdir / "dev-identity")


def make_manifest(generation_id: str = "gen_01") -> dict:
    return build_manifest(
        generation_id=generation_id,
        decision_id="dec_01",
        registry_version=7,
        licences=LICENCES,
        backend="storyboard",
        model="storyboard-v1",
        title="Pikarin walks in Kyoto",
        watermark=WATERMARK,
        created_at=datetime(2025, 5, 1, 12, 30, tzinfo=UTC),
    )


@pytest.fixture(scope="module")
def sealed(workdir: Path, unsigned_mp4: Path, identity: SigningIdentity) -> tuple[Path, str]:
    result = sign_mp4(unsigned_mp4, workdir / "sealed.mp4", make_manifest(), identity)
    assert result.sign_ms > 0
    return workdir / "sealed.mp4", result.manifest_label


# --- round trip ---


def test_every_field_comes_back_from_a_signed_video(sealed: tuple[Path, str]) -> None:
    path, label = sealed
    report = read_manifest(path)

    assert report.present and report.valid
    assert report.manifest_label == label and label.startswith("urn:c2pa:")
    assert report.title == "Pikarin walks in Kyoto"
    assert report.generation_id == "gen_01"
    assert report.decision_id == "dec_01"
    assert report.registry_version == 7
    assert report.licences == LICENCES
    assert report.backend == "storyboard"
    assert report.model == "storyboard-v1"
    assert report.created_at == "2025-05-01T12:30:00+00:00"
    assert report.watermark == WATERMARK
    assert report.signer is not None
    assert report.signer.common_name == "kyodaku development signer"
    assert report.development_identity
    assert report.notices == [NOTICE_DEVELOPMENT_IDENTITY]


def test_the_sdk_keeps_the_created_action_and_training_opt_out(sealed: tuple[Path, str]) -> None:
    path, label = sealed
    manifest = read_manifest(path).raw["manifests"][label]
    by_label = {a["label"]: a["data"] for a in manifest["assertions"]}
    created = [a for a in by_label[ACTIONS_LABEL]["actions"] if a["action"] == "c2pa.created"]
    assert [a["digitalSourceType"] for a in created] == [TRAINED_ALGORITHMIC_MEDIA]
    entries = by_label[TRAINING_MINING_LABEL]["entries"]
    assert {e["use"] for e in entries.values()} == {"notAllowed"}
    assert manifest["claim_generator_info"][0]["name"] == "kyodaku"


def test_development_signature_is_valid_but_not_trusted_by_default(
    sealed: tuple[Path, str],
) -> None:
    report = read_manifest(sealed[0])
    assert report.valid
    assert report.trusted is False
    assert report.status == STATUS_VALID_UNTRUSTED
    assert report.validation_errors == ["signingCredential.untrusted"]


def test_trusting_the_development_root_makes_it_trusted(
    sealed: tuple[Path, str], identity: SigningIdentity
) -> None:
    report = read_manifest(sealed[0], trust_anchors_pem=identity.root_ca_pem)
    assert report.valid and report.trusted
    assert report.status == STATUS_TRUSTED
    assert report.validation_errors == []


def test_another_root_does_not_make_it_trusted(sealed: tuple[Path, str], tmp_path: Path) -> None:
    stranger = ensure_development_identity(tmp_path / "someone-else")
    report = read_manifest(sealed[0], trust_anchors_pem=stranger.root_ca_pem)
    assert report.valid and report.trusted is False


def test_signing_leaves_the_source_untouched(
    workdir: Path, unsigned_mp4: Path, identity: SigningIdentity
) -> None:
    before = unsigned_mp4.read_bytes()
    sign_mp4(unsigned_mp4, workdir / "again.mp4", make_manifest("gen_02"), identity)
    assert unsigned_mp4.read_bytes() == before
    assert read_manifest(workdir / "again.mp4").generation_id == "gen_02"


# --- tampering and stripping ---


def test_changing_a_media_byte_after_signing_is_detected(
    sealed: tuple[Path, str], tmp_path: Path
) -> None:
    data = bytearray(sealed[0].read_bytes())
    data[data.index(b"mdat") + 64] ^= 0xFF
    tampered = tmp_path / "tampered.mp4"
    tampered.write_bytes(bytes(data))

    report = read_manifest(tampered)
    assert report.present and not report.valid
    assert report.status == STATUS_INVALID
    assert "assertion.bmffHash.mismatch" in report.validation_errors
    assert report.generation_id == "gen_01"  # still says what it claimed, but invalid


def test_a_damaged_manifest_is_reported_invalid(sealed: tuple[Path, str], tmp_path: Path) -> None:
    data = bytearray(sealed[0].read_bytes())
    manifest_box = data.index(b"uuid") - 4
    data[manifest_box + 50] ^= 0x55
    damaged = tmp_path / "damaged.mp4"
    damaged.write_bytes(bytes(data))

    report = read_manifest(damaged)
    assert report.present and not report.valid
    assert report.status == STATUS_INVALID
    assert report.validation_errors


def test_re_muxing_strips_the_manifest(sealed: tuple[Path, str], tmp_path: Path) -> None:
    stripped = remux(sealed[0], tmp_path / "stripped.mp4")
    with av.open(str(stripped)) as container:
        assert {s.type for s in container.streams} == {"video", "audio"}
    report = read_manifest(stripped)
    assert not report.present
    assert report.status == STATUS_ABSENT


def test_an_unsigned_video_has_no_manifest_and_a_reason(unsigned_mp4: Path) -> None:
    report = read_manifest(unsigned_mp4)
    assert not report.present and not report.valid
    assert report.trusted is None
    assert report.status == STATUS_ABSENT
    assert report.reason and "JUMBF" in report.reason


# --- reading errors ---


def test_a_file_that_is_not_media_is_a_clear_error(tmp_path: Path) -> None:
    text = tmp_path / "notes.mp4"
    text.write_text("this is not a video at all")
    with pytest.raises(ProvenanceReadError, match=r"notes\.mp4"):
        read_manifest(text)
    with pytest.raises(FileNotFoundError):
        read_manifest(tmp_path / "missing.mp4")


def test_unusable_trust_anchors_are_a_clear_error(sealed: tuple[Path, str]) -> None:
    with pytest.raises(ProvenanceReadError, match="trust anchors"):
        read_manifest(sealed[0], trust_anchors_pem="not a certificate")


def test_every_status_has_english_and_japanese_text() -> None:
    for code in (STATUS_ABSENT, STATUS_INVALID, STATUS_VALID_UNTRUSTED, STATUS_TRUSTED):
        assert CATALOGUE[code]["en"] and CATALOGUE[code]["ja"]
    assert CATALOGUE[NOTICE_DEVELOPMENT_IDENTITY]["ja"]


# --- signing fails closed ---


def test_webm_is_refused(workdir: Path, identity: SigningIdentity, tmp_path: Path) -> None:
    webm = tmp_path / "clip.webm"
    webm.write_bytes(b"\x1a\x45\xdf\xa3" + bytes(64))
    with pytest.raises(UnsupportedMediaError, match="WebM"):
        sign_mp4(webm, tmp_path / "out.mp4", make_manifest(), identity)


def test_non_mp4_input_and_output_are_refused(
    unsigned_mp4: Path, identity: SigningIdentity, tmp_path: Path
) -> None:
    text = tmp_path / "fake.mp4"
    text.write_text("hello")
    with pytest.raises(UnsupportedMediaError, match="not an MP4"):
        sign_mp4(text, tmp_path / "out.mp4", make_manifest(), identity)
    with pytest.raises(UnsupportedMediaError, match=r"\.mp4"):
        sign_mp4(unsigned_mp4, tmp_path / "out.mkv", make_manifest(), identity)
    assert not (tmp_path / "out.mp4").exists()


def test_signing_in_place_is_refused(unsigned_mp4: Path, identity: SigningIdentity) -> None:
    with pytest.raises(SigningError, match="in place"):
        sign_mp4(unsigned_mp4, unsigned_mp4, make_manifest(), identity)


def test_a_wrong_key_releases_nothing(
    unsigned_mp4: Path, identity: SigningIdentity, tmp_path: Path
) -> None:
    stranger_key = ec.generate_private_key(ec.SECP256R1()).private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    broken = dataclasses.replace(identity, private_key_pem=stranger_key.decode())
    dst = tmp_path / "out.mp4"
    with pytest.raises(SigningError, match="signing"):
        sign_mp4(unsigned_mp4, dst, make_manifest(), broken)
    assert list(tmp_path.iterdir()) == []


def test_a_malformed_manifest_releases_nothing(
    unsigned_mp4: Path, identity: SigningIdentity, tmp_path: Path
) -> None:
    manifest = make_manifest()
    actions = manifest["assertions"][0]["data"]["actions"]
    del actions[0]["digitalSourceType"]  # the SDK requires it on c2pa.created
    with pytest.raises(ProvenanceError):
        sign_mp4(unsigned_mp4, tmp_path / "out.mp4", manifest, identity)
    assert list(tmp_path.iterdir()) == []
