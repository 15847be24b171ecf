"""Where nudger keeps things, and how it creates them privately (directories 0700, files 0600)."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Mapping
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path

import platformdirs

APP = "nudger"
PRIVATE_DIR = 0o700
PRIVATE_FILE = 0o600


def builtin_config(name: str) -> Traversable:
    """A file from the package's config/ directory (nudger.toml, sites.toml, messages.toml)."""
    return files("nudger.config") / name


def user_config_file(env: Mapping[str, str] | None = None) -> Path:
    env = os.environ if env is None else env
    explicit = env.get("NUDGER_CONFIG")
    if explicit:
        return Path(explicit).expanduser()
    return Path(platformdirs.user_config_dir(APP, appauthor=False)) / "config.toml"


def data_dir(env: Mapping[str, str] | None = None) -> Path:
    env = os.environ if env is None else env
    explicit = env.get("NUDGER_DATA_DIR")
    if explicit:
        return Path(explicit).expanduser()
    return Path(platformdirs.user_data_dir(APP, appauthor=False))


def log_dir(env: Mapping[str, str] | None = None) -> Path:
    env = os.environ if env is None else env
    # With an explicit data dir (tests, portable installs) the logs live beside the data, so one
    # directory holds everything the daemon writes.
    explicit = env.get("NUDGER_DATA_DIR")
    if explicit:
        return Path(explicit).expanduser() / "logs"
    return Path(platformdirs.user_log_dir(APP, appauthor=False))


def database_file(env: Mapping[str, str] | None = None) -> Path:
    return data_dir(env) / "nudger.db"


def ensure_private_dir(path: Path) -> Path:
    """Create `path` and any missing parents 0700, and make `path` itself 0700.

    Every directory nudger creates is private, not only the last one: the default log directory
    is ~/.local/state/nudger/log, and a `nudger` directory left at the umask's 0755 would show
    which programs this person runs. Parents that already exist keep their modes: they are the
    user's, not ours.
    """
    ours = [path, *(parent for parent in path.parents if not parent.exists())]
    path.mkdir(parents=True, exist_ok=True, mode=PRIVATE_DIR)
    if os.name == "posix":
        for directory in ours:
            if (directory.stat().st_mode & 0o777) != PRIVATE_DIR:
                directory.chmod(PRIVATE_DIR)
    return path


def ensure_private_file(path: Path) -> Path:
    """Create `path` empty if missing, and make it 0600 either way."""
    ensure_private_dir(path.parent)
    fd = os.open(path, os.O_CREAT | os.O_WRONLY, PRIVATE_FILE)
    os.close(fd)
    if os.name == "posix":
        path.chmod(PRIVATE_FILE)
    return path


def write_private_atomic(path: Path, data: str | bytes, *, durable: bool = True) -> None:
    """Write `data` to `path` via a temporary file and a rename, so no reader sees half a file.

    The temporary file is created 0600 in the same directory, so the rename is atomic and the
    result is private from its first byte. `durable=False` skips the fsync, for files that are
    rewritten every few seconds and worthless after a power cut (the daemon's status).
    """
    ensure_private_dir(path.parent)
    raw = data.encode("utf-8") if isinstance(data, str) else data
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(raw)
            handle.flush()
            if durable:
                os.fsync(handle.fileno())
        if os.name == "posix":
            tmp.chmod(PRIVATE_FILE)
        tmp.replace(path)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
