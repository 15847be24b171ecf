"""nudger: a small, private desktop companion for stepping back from social media."""

# The one place the version is written: pyproject.toml reads it (dynamic version), and
# scripts/release stamps it into the companion's manifest.json (tests/release checks they agree).
__version__ = "0.1.0"
