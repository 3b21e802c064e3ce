"""What a match is, and when a sound-alike or a plural can be a name."""

from __future__ import annotations

from kyodaku.screen.matches import spelt_alike


def test_a_sound_alike_must_be_spelt_much_like_the_name() -> None:
    assert spelt_alike("Pikachoo", "Pikachu") and spelt_alike("Kriby", "Kirby")
    assert not spelt_alike("Chanel", "Saber")  # one sound-key edit apart, no slip
    assert not spelt_alike("Meiji", "Mercy")  # keyed alike
