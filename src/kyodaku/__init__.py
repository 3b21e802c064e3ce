"""kyodaku (許諾, "permission"): an opt-in rights gateway for generative video."""

__version__ = "0.1.0"
