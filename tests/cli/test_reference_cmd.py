import numpy as np
from PIL import Image

from tests.support import write_registry, write_textured_video


def test_reference_add_reports_each_file(cli, tmp_path):
    cli("registry", "import", write_registry(tmp_path))
    rng = np.random.default_rng(5)
    still = tmp_path / "still.png"
    Image.fromarray(rng.integers(0, 255, (180, 320, 3), dtype=np.uint8)).save(still)
    clip = write_textured_video(tmp_path / "clip.mp4", 2)
    bad = tmp_path / "bad.mp4"
    bad.write_bytes(b"nope")
    result = cli("reference", "add", "--asset", "c-marisol", still, clip, bad)
    assert result.exit_code == 1
    assert "still.png: reference" in result.output and "(image)" in result.output
    assert "clip.mp4: reference" in result.output and "(video)" in result.output
    assert "bad.mp4" in result.output and "1 of 3 file(s) not added" in result.output
    again = cli("reference", "add", "--asset", "c-marisol", still)
    assert again.exit_code == 1 and "already a reference" in again.output
