"""nudger: a small, private desktop companion for stepping back from social media."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("nudger")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0"
