"""Where nudger keeps things, and how it creates them privately (directories 0700, files 0600)."""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from collections.abc import Mapping
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path

import platformdirs

from nudger.core.translate import _

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


class NotARegularFile(OSError):
    """A path that is a link, a FIFO, a device or a folder where nudger expects a plain file."""


# The largest settings, status or pause file nudger reads. Real ones are a few kilobytes.
MAX_READ_BYTES = 4 * 1024 * 1024


def ensure_private_dir(path: Path) -> Path:
    """Create `path` and any missing parents 0700, and make `path` itself 0700.

    For nudger's own folders (data, logs). Every folder created here is private, not only the last
    one: the default log directory is ~/.local/state/nudger/log, and a `nudger` folder left at the
    umask's 0755 would show which programs this person runs. Parents that already exist keep
    their modes: they are the user's, not ours.
    """
    make_dirs(path)
    if os.name == "posix" and (path.stat().st_mode & 0o777) != PRIVATE_DIR:
        path.chmod(PRIVATE_DIR)
    return path


def make_dirs(path: Path) -> Path:
    """Create the folders of `path` that are missing, 0700. Folders that exist keep their modes:
    a report written into /tmp, or a folder the user named, is not ours to change."""
    missing = [folder for folder in (path, *path.parents) if not folder.exists()]
    path.mkdir(parents=True, exist_ok=True, mode=PRIVATE_DIR)
    if os.name == "posix":
        for directory in missing:
            if (directory.stat().st_mode & 0o777) != PRIVATE_DIR:
                directory.chmod(PRIVATE_DIR)  # mkdir's mode is filtered by the umask
    return path


def refuse_link(path: Path) -> None:
    """Raise NotARegularFile if `path` is a symbolic link or anything but a plain file.

    nudger's own files (the database, the log) are never written through a link: a link could
    point at another program's file, which would then get nudger's tables or lines."""
    try:
        info = path.lstat()
    except FileNotFoundError:
        return
    if stat.S_ISLNK(info.st_mode):
        raise NotARegularFile(
            _("{path} is a symbolic link; nudger does not write through links").format(path=path)
        )
    if not stat.S_ISREG(info.st_mode):
        raise NotARegularFile(_("{path} is not a regular file").format(path=path))


def ensure_private_file(path: Path) -> Path:
    """Create `path` empty if missing, and make it 0600 either way. Never through a link."""
    ensure_private_dir(path.parent)
    refuse_link(path)
    flags = os.O_CREAT | os.O_WRONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    fd = os.open(path, flags, PRIVATE_FILE)
    try:
        if os.name == "posix":
            os.fchmod(fd, PRIVATE_FILE)
    finally:
        os.close(fd)
    return path


def read_regular_file(path: Path, limit: int = MAX_READ_BYTES) -> bytes:
    """The bytes of a plain file, following a link to it (settings kept by a dotfile manager).

    Never blocks: a FIFO or a device in its place is refused at once (opening a FIFO would wait
    for a writer forever, with the signals that could stop nudger already held back). A file
    longer than `limit` is refused too.
    """
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise NotARegularFile(_("{path} is not a regular file").format(path=path))
        if info.st_size > limit:
            raise NotARegularFile(
                _("{path} is larger than {value} MB").format(
                    path=path, value=limit // (1024 * 1024)
                )
            )
        chunks = []
        while chunk := os.read(fd, 1 << 16):
            chunks.append(chunk)
    finally:
        os.close(fd)
    return b"".join(chunks)


def write_private_atomic(path: Path, data: str | bytes, *, durable: bool = True) -> None:
    """Write `data` to `path` via a temporary file and a rename, so no reader sees half a file.

    The temporary file is created 0600 in the same folder, so the rename is atomic and the
    result is private from its first byte. A link at `path` (a settings file kept by a dotfile
    manager) is written through: the file it points to is replaced, the link stays. Folders
    that exist keep their modes. `durable=False` skips the fsync, for files rewritten every few
    seconds and worthless after a power cut (the daemon's status).
    """
    target = path.resolve() if path.is_symlink() else path
    make_dirs(target.parent)
    raw = data.encode("utf-8") if isinstance(data, str) else data
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(raw)
            handle.flush()
            if durable:
                os.fsync(handle.fileno())
        if os.name == "posix":
            tmp.chmod(PRIVATE_FILE)
        tmp.replace(target)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
