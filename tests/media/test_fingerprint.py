"""PDQ fingerprints of images and videos: robustness where promised, clear errors otherwise.

The last section goes from files to a verdict through the index and the matcher.
"""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

import av
import numpy as np
import pytest
from PIL import Image

from kyodaku.media.fingerprint import (
    DIHEDRAL_VARIANTS,
    QUERY_PLAN,
    REFERENCE_EVERY_S,
    REFERENCE_PLAN,
    CropSpec,
    DecodeLimits,
    FingerprintError,
    FrameHash,
    HashPlan,
    centred_crops,
    content_box,
    fingerprint_image,
    fingerprint_video,
    hamming_distance,
    hash_frame,
)
from kyodaku.media.fingerprint_index import FingerprintIndex
from kyodaku.media.matching import reference_entries, search_and_match

SAME = 31  # PDQ's usual "same picture" distance
DIFFERENT = 80  # unrelated pictures sit above 90


def textured(seed: int, width: int = 320, height: int = 180) -> np.ndarray:
    """Colour noise with a 1/f spectrum (like natural images), made here, seeded."""
    rng = np.random.default_rng(seed)
    fy = np.fft.fftfreq(height)[:, None]
    fx = np.fft.rfftfreq(width)[None, :]
    radius = np.hypot(fx, fy)
    radius[0, 0] = 1.0
    planes = []
    for _ in range(3):
        spectrum = (rng.normal(size=radius.shape) + 1j * rng.normal(size=radius.shape)) / radius
        spectrum[0, 0] = 0
        planes.append(np.fft.irfft2(spectrum, s=(height, width)))
    image = np.stack(planes, -1)
    image = (image - image.mean()) / image.std()
    return np.clip(128 + 50 * image, 0, 255).astype(np.uint8)


def resized(rgb: np.ndarray, width: int, height: int) -> np.ndarray:
    return np.asarray(Image.fromarray(rgb).resize((width, height), Image.Resampling.BILINEAR))


def by_variant(hashes: list[FrameHash]) -> dict[str, bytes]:
    return {frame.variant: frame.hash for frame in hashes}


def nearest(query: bytes, references: list[FrameHash]) -> tuple[int, str]:
    return min((hamming_distance(query, ref.hash), ref.variant) for ref in references)


def write_video(path: Path, frames: list[np.ndarray], fps: int = 10, crf: int = 18) -> Path:
    with av.open(str(path), "w") as container:
        stream = container.add_stream("libx264", rate=fps)
        stream.height, stream.width = frames[0].shape[:2]
        stream.pix_fmt = "yuv420p"
        stream.options = {"crf": str(crf), "preset": "ultrafast"}
        for frame in frames:
            container.mux(stream.encode(av.VideoFrame.from_ndarray(frame, format="rgb24")))
        container.mux(stream.encode())
    return path


def panning(seed: int, count: int, width: int = 320, height: int = 180) -> list[np.ndarray]:
    """A camera pan across a texture, 3 pixels a frame."""
    texture = textured(seed, width * 2, height)
    return [np.ascontiguousarray(texture[:, 3 * i : 3 * i + width]) for i in range(count)]


# -- hashes of arrays ----------------------------------------------------------------------


def test_frame_hash_is_32_bytes_with_quality() -> None:
    [frame] = fingerprint_image(textured(1))
    assert frame.variant == "original"
    assert frame.t_seconds == 0.0
    assert len(frame.hash) == 32
    assert frame.quality >= 50


def test_frame_hash_rejects_malformed_values() -> None:
    with pytest.raises(ValueError, match="32 bytes"):
        FrameHash(0.0, "original", b"\x00" * 31, 100)
    with pytest.raises(ValueError, match="quality"):
        FrameHash(0.0, "original", b"\x00" * 32, 101)


def test_same_picture_at_another_size_matches_and_unrelated_does_not() -> None:
    picture = textured(2, 640, 360)
    [original] = fingerprint_image(picture)
    [smaller] = fingerprint_image(resized(picture, 213, 120))
    [other] = fingerprint_image(textured(3, 640, 360))
    assert hamming_distance(original.hash, smaller.hash) <= SAME
    assert hamming_distance(original.hash, other.hash) >= DIFFERENT


def test_grey_and_rgba_arrays_are_accepted() -> None:
    grey = textured(4)[:, :, 1]
    [from_grey] = fingerprint_image(grey)
    [from_rgb] = fingerprint_image(np.repeat(grey[:, :, None], 3, axis=2))
    assert from_grey.hash == from_rgb.hash
    rgba = np.dstack([textured(4), np.full((180, 320), 255, np.uint8)])
    [from_rgba] = fingerprint_image(rgba)
    assert from_rgba.hash == fingerprint_image(textured(4))[0].hash


def test_flat_picture_has_low_quality() -> None:
    [flat] = fingerprint_image(np.full((90, 160, 3), 77, np.uint8))
    assert flat.quality < 50


def test_flip_matches_only_through_the_mirrored_reference_hash() -> None:
    picture = textured(5)
    references = fingerprint_image(picture, plan=REFERENCE_PLAN)
    [flipped] = fingerprint_image(np.ascontiguousarray(picture[:, ::-1]))
    variants = by_variant(references)
    assert hamming_distance(flipped.hash, variants["original"]) >= DIFFERENT
    assert hamming_distance(flipped.hash, variants["flip_h"]) <= 4


@pytest.mark.parametrize("variant", DIHEDRAL_VARIANTS)
def test_every_dihedral_variant_hashes_the_transformed_pixels(variant: str) -> None:
    picture = textured(6, 160, 160)  # square, so rotations keep the frame's shape
    transforms = {
        "original": lambda a: a,
        "rot90": lambda a: np.rot90(a, 1),
        "rot180": lambda a: np.rot90(a, 2),
        "rot270": lambda a: np.rot90(a, 3),
        "flip_v": lambda a: a[::-1],
        "flip_h": lambda a: a[:, ::-1],
        "transpose": lambda a: a.transpose(1, 0, 2),
        "transverse": lambda a: np.rot90(a, 2).transpose(1, 0, 2),
    }
    plan = HashPlan(dihedral=DIHEDRAL_VARIANTS)
    variants = by_variant(fingerprint_image(picture, plan=plan))
    [transformed] = fingerprint_image(np.ascontiguousarray(transforms[variant](picture)))
    assert hamming_distance(transformed.hash, variants[variant]) <= 4
    others = [
        hamming_distance(transformed.hash, h) for name, h in variants.items() if name != variant
    ]
    assert min(others) >= DIFFERENT - 30  # rotations of one picture stay clearly apart


def test_letterbox_and_pillarbox_bars_are_removed_before_hashing() -> None:
    picture = textured(7, 320, 180)
    letterboxed = np.zeros((240, 320, 3), np.uint8)
    letterboxed[30:210] = picture
    pillarboxed = np.full((180, 420, 3), 255, np.uint8)  # white bars this time
    pillarboxed[:, 50:370] = picture
    assert content_box(letterboxed) == (0, 30, 320, 210)
    assert content_box(pillarboxed) == (50, 0, 370, 180)
    [plain] = fingerprint_image(picture)
    for boxed in (letterboxed, pillarboxed):
        [with_bars] = fingerprint_image(boxed)
        assert hamming_distance(plain.hash, with_bars.hash) <= 8
        [kept_bars] = fingerprint_image(boxed, plan=HashPlan(remove_bars=False))
        assert hamming_distance(plain.hash, kept_bars.hash) > SAME


def test_flat_frame_is_not_cropped_to_nothing() -> None:
    dark = np.zeros((180, 320, 3), np.uint8)
    assert content_box(dark) == (0, 0, 320, 180)
    mostly_dark = dark.copy()
    mostly_dark[85:95, 150:170] = 200  # a small bright spot, not a picture between bars
    assert content_box(mostly_dark) == (0, 0, 320, 180)


def test_ten_percent_crop_matches_a_reference_crop_and_not_the_full_frame() -> None:
    picture = textured(8, 640, 360)
    references = fingerprint_image(picture, plan=REFERENCE_PLAN)
    cropped = resized(picture[18:342, 32:608], 640, 360)  # 90 % of each side, centred
    [query] = fingerprint_image(cropped)
    assert hamming_distance(query.hash, by_variant(references)["original"]) > SAME
    distance, variant = nearest(query.hash, references)
    assert distance <= SAME
    assert variant.startswith("crop9")


def test_crop_specs_name_and_place_their_boxes() -> None:
    assert CropSpec(0.9, 0.9).name == "crop90"
    assert CropSpec(0.75, 1.0, 0.0, 0.5).name == "crop75x100@0,50"
    assert CropSpec(0.5, 0.5, 1.0, 1.0).box(200, 100) == (100.0, 50.0, 200.0, 100.0)
    with pytest.raises(ValueError):
        CropSpec(0.0, 0.5)
    grid = centred_crops(0.9, 0.02)
    assert [crop.name for crop in grid] == ["crop98", "crop96", "crop94", "crop92", "crop90"]


def test_reference_plan_yields_mirrored_and_cropped_views() -> None:
    hashes = hash_frame(textured(9), 1.5, REFERENCE_PLAN)
    names = [frame.variant for frame in hashes]
    assert names[:2] == ["original", "flip_h"]
    assert "crop90" in names and "crop90+flip_h" in names
    assert len(names) == len(set(names)) == 2 + 2 * len(REFERENCE_PLAN.crops)
    assert {frame.t_seconds for frame in hashes} == {1.5}


def test_plan_rejects_unknown_variants() -> None:
    with pytest.raises(ValueError, match="unknown dihedral variant"):
        HashPlan(dihedral=("mirror",))


# -- videos --------------------------------------------------------------------------------


def test_video_frames_are_sampled_with_timestamps(tmp_path: Path) -> None:
    path = write_video(tmp_path / "clip.mp4", panning(10, 25))
    every_frame = fingerprint_video(path, None)
    sampled = fingerprint_video(path, 0.5)
    assert len(every_frame) == 25
    assert [frame.t_seconds for frame in sampled] == pytest.approx([0.0, 0.5, 1.0, 1.5, 2.0])
    assert {frame.variant for frame in sampled} == {"original"}


def test_reencoded_video_matches_its_reference_frame_by_frame(tmp_path: Path) -> None:
    frames = panning(11, 20)
    reference = fingerprint_video(write_video(tmp_path / "ref.mp4", frames), None)
    copy = fingerprint_video(write_video(tmp_path / "copy.mp4", frames, crf=32), None)
    unrelated = fingerprint_video(write_video(tmp_path / "other.mp4", panning(12, 20)), None)
    for ref, frame in zip(reference, copy, strict=True):
        assert hamming_distance(ref.hash, frame.hash) <= SAME
    assert min(hamming_distance(a.hash, b.hash) for a in reference for b in unrelated) >= 60


def test_letterboxed_video_matches_its_reference(tmp_path: Path) -> None:
    frames = panning(13, 10)
    boxed = []
    for frame in frames:
        canvas = np.zeros((240, 320, 3), np.uint8)
        canvas[30:210] = frame
        boxed.append(canvas)
    reference = fingerprint_video(write_video(tmp_path / "ref.mp4", frames), None)
    query = fingerprint_video(write_video(tmp_path / "boxed.mp4", boxed, crf=23), None)
    for ref, frame in zip(reference, query, strict=True):
        assert hamming_distance(ref.hash, frame.hash) <= SAME


# -- bad input -----------------------------------------------------------------------------


def png_header_only(path: Path, width: int, height: int) -> Path:
    """A PNG that declares a size but holds almost no pixel data, like a decompression bomb."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    path.write_bytes(
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + chunk(b"IEND", b"")
    )
    return path


@pytest.mark.parametrize("side", [7_000, 100_000])  # above our limit; above Pillow's too
def test_enormous_image_is_refused_before_decoding(tmp_path: Path, side: int) -> None:
    bomb = png_header_only(tmp_path / "bomb.png", side, side)
    with pytest.raises(FingerprintError, match="exceeds the limit"):
        fingerprint_image(bomb)


def test_image_file_round_trip_and_truncation(tmp_path: Path) -> None:
    path = tmp_path / "picture.png"
    Image.fromarray(textured(14)).save(path)
    assert fingerprint_image(path)[0].hash == fingerprint_image(textured(14))[0].hash
    truncated = tmp_path / "truncated.png"
    truncated.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    with pytest.raises(FingerprintError, match="truncated"):
        fingerprint_image(truncated)


@pytest.mark.parametrize("maker", ["text", "missing", "empty_array"])
def test_non_images_are_refused(tmp_path: Path, maker: str) -> None:
    if maker == "text":
        source: Path | np.ndarray = tmp_path / "notes.png"
        source.write_text("not a picture")
    elif maker == "missing":
        source = tmp_path / "absent.jpg"
    else:
        source = np.zeros((0, 10, 3), np.uint8)
    with pytest.raises(FingerprintError):
        fingerprint_image(source)


def test_wrong_array_types_are_refused() -> None:
    with pytest.raises(FingerprintError, match="uint8"):
        fingerprint_image(np.zeros((10, 10, 3), np.float32))
    with pytest.raises(FingerprintError, match="H x W"):
        fingerprint_image(np.zeros((10, 10, 2), np.uint8))


def test_bad_videos_are_refused(tmp_path: Path) -> None:
    good = write_video(tmp_path / "good.mp4", panning(15, 20))
    not_video = tmp_path / "notes.mp4"
    not_video.write_text("plain text, not a video")
    truncated = tmp_path / "truncated.mp4"
    truncated.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    for path in (not_video, truncated, tmp_path / "absent.mp4"):
        with pytest.raises(FingerprintError):
            fingerprint_video(path)


def test_oversized_video_frames_are_refused(tmp_path: Path) -> None:
    path = write_video(tmp_path / "clip.mp4", panning(16, 5))
    with pytest.raises(FingerprintError, match="larger than allowed"):
        fingerprint_video(path, limits=DecodeLimits(max_pixels=320 * 180 - 1))


def test_too_many_sampled_frames_are_refused(tmp_path: Path) -> None:
    path = write_video(tmp_path / "clip.mp4", panning(17, 12))
    with pytest.raises(FingerprintError, match="more than 10 sampled frames"):
        fingerprint_video(path, None, limits=DecodeLimits(max_hashed_frames=10))


def test_audio_only_file_has_no_frames_to_fingerprint(tmp_path: Path) -> None:
    path = tmp_path / "sound.m4a"
    with av.open(str(path), "w") as container:
        stream = container.add_stream("aac", rate=48000)
        samples = np.zeros((1, 1024), np.float32)
        for index in range(10):
            frame = av.AudioFrame.from_ndarray(samples, format="fltp", layout="mono")
            frame.sample_rate = 48000
            frame.pts = index * 1024
            container.mux(stream.encode(frame))
        container.mux(stream.encode())
    with pytest.raises(FingerprintError, match="no video stream"):
        fingerprint_video(path)


def test_query_plan_is_the_default() -> None:
    assert hash_frame(textured(18)) == hash_frame(textured(18), 0.0, QUERY_PLAN)


# -- from files to a verdict ---------------------------------------------------------------


@pytest.fixture(scope="module")
def clip() -> list[np.ndarray]:
    return panning(21, 40)  # 4 s at 10 fps


@pytest.fixture(scope="module")
def index(clip: list[np.ndarray], tmp_path_factory: pytest.TempPathFactory) -> FingerprintIndex:
    path = write_video(tmp_path_factory.mktemp("ref") / "reference.mp4", clip)
    hashes = fingerprint_video(path, REFERENCE_EVERY_S, plan=REFERENCE_PLAN)
    built = FingerprintIndex()
    built.add(reference_entries("ref-pan", "c-hero", hashes))
    return built


def check(index: FingerprintIndex, path: Path) -> set[str]:
    return search_and_match(index, fingerprint_video(path)).matched_asset_ids


def test_reencoded_copy_is_attributed_to_the_asset(
    index: FingerprintIndex, clip: list[np.ndarray], tmp_path: Path
) -> None:
    copy = write_video(tmp_path / "copy.mp4", clip, crf=30)
    report = search_and_match(index, fingerprint_video(copy))
    [asset] = report.assets
    assert asset.asset_id == "c-hero" and asset.reference_ids == ("ref-pan",)
    assert asset.share == 1.0


def test_mirrored_cropped_and_excerpted_copies_match(
    index: FingerprintIndex, clip: list[np.ndarray], tmp_path: Path
) -> None:
    mirrored = [np.ascontiguousarray(frame[:, ::-1]) for frame in clip]
    cropped = [resized(frame[9:171, 16:304], 320, 180) for frame in clip]  # 90 %, centred
    excerpt = clip[12:32]
    for name, frames in (("mirrored", mirrored), ("cropped", cropped), ("excerpt", excerpt)):
        assert check(index, write_video(tmp_path / f"{name}.mp4", frames, crf=26)) == {"c-hero"}


def test_unrelated_video_matches_nothing(index: FingerprintIndex, tmp_path: Path) -> None:
    other = write_video(tmp_path / "other.mp4", panning(22, 40), crf=26)
    report = search_and_match(index, fingerprint_video(other))
    assert report.references == () and report.assets == ()


def test_reference_still_image_matches_its_frame_in_a_video(tmp_path: Path) -> None:
    still = textured(23)
    index = FingerprintIndex()
    index.add(
        reference_entries("ref-still", "w-show", fingerprint_image(still, plan=REFERENCE_PLAN))
    )
    video = write_video(tmp_path / "still.mp4", [still] * 20, crf=28)
    assert check(index, video) == {"w-show"}
