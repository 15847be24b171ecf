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

from nudger.core.translate import N_, Said
from nudger.errors import NudgerError, Saying

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


DATABASE_NAME = "nudger.db"


def database_file(env: Mapping[str, str] | None = None) -> Path:
    return data_dir(env) / DATABASE_NAME


class NotARegularFile(Saying, OSError):
    """A path that is a link, a FIFO, a device or a folder where nudger expects a plain file."""


# The largest settings, status or pause file nudger reads. Real ones are a few kilobytes.
MAX_READ_BYTES = 4 * 1024 * 1024


class NotOurs(NudgerError, OSError):
    """A link or folder of another user's where nudger was to create, change or write something.

    In a folder others may write to (/tmp), another user can plant a link at a name the person
    will use: nudger must not then change or overwrite the file the link points at. An OSError
    for those who handle the file system's errors, and a NudgerError (one line, no traceback)
    for everyone else."""


def socket_folder(env: Mapping[str, str] | None = None) -> Path:
    """Where the browser companion's socket lives when there is no XDG_RUNTIME_DIR: a private
    folder under the person's own state folder (beside the data, with NUDGER_DATA_DIR), so two
    nudgers with their own homes or data never share one, and no shared /tmp name is used."""
    env = os.environ if env is None else env
    explicit = env.get("NUDGER_DATA_DIR")
    if explicit:
        return Path(explicit).expanduser() / "run"
    return Path(platformdirs.user_state_dir(APP, appauthor=False)) / "run"


def _uid() -> int | None:
    return os.getuid() if hasattr(os, "getuid") else None


def _is_own(info: os.stat_result) -> bool:
    uid = _uid()
    return uid is None or info.st_uid == uid


def _is_trusted(info: os.stat_result) -> bool:
    """The person's own, or the system's (macOS's /tmp is root's link to /private/tmp)."""
    uid = _uid()
    return uid is None or info.st_uid in {uid, 0}


def ensure_private_dir(path: Path) -> Path:
    """Create `path` and any missing parents 0700, and make `path` itself 0700.

    For nudger's own folders (data, logs, the socket's). Every folder created here is private,
    not only the last one: the default log directory is ~/.local/state/nudger/log, and a
    `nudger` folder left at the umask's 0755 would show which programs this person runs. Parents
    that already exist keep their modes: they are the user's, not ours. `path` is checked before
    its mode is changed: it must be a folder of the person's own, or the person's own link to
    one (a dotfile manager's); anything else raises NotOurs and nothing is changed.
    """
    make_dirs(path)
    if os.name == "posix":
        _make_private(path)
    return path


def make_dirs(path: Path) -> Path:
    """Create the folders of `path` that are missing, 0700. Folders that exist keep their modes:
    a report written into /tmp, or a folder the user named, is not ours to change. Links on the
    way are followed only where they are the person's own (or the system's)."""
    resolved, planted = _name_to_replace(path)  # another user's link on the way: NotOurs
    if planted:
        raise NotOurs(
            Said(N_("{path} is another user's link; nudger does not follow it"), {"path": path})
        )
    missing = [folder for folder in (resolved, *resolved.parents) if not os.path.lexists(folder)]
    resolved.mkdir(parents=True, exist_ok=True, mode=PRIVATE_DIR)
    if os.name == "posix":
        for directory in missing:
            _make_private(directory)  # mkdir's mode is filtered by the umask
    return path


def _make_private(folder: Path) -> None:
    """chmod 0700 a folder that is checked to be the person's own, through an open descriptor
    of it: never by name, which another user could swap for a link in between."""
    info = folder.lstat()
    flags = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_CLOEXEC", 0)
    if stat.S_ISLNK(info.st_mode):
        if not _is_own(info):
            raise NotOurs(
                Said(
                    N_("{path} is another user's link; nudger does not follow it"), {"path": folder}
                )
            )
    elif stat.S_ISDIR(info.st_mode):
        flags |= getattr(os, "O_NOFOLLOW", 0)
    else:
        raise NotOurs(Said(N_("{path} is not a folder"), {"path": folder}))
    fd = os.open(folder, flags)
    try:
        opened = os.fstat(fd)
        if not _is_own(opened):
            raise NotOurs(Said(N_("{path} belongs to another user"), {"path": folder}))
        if stat.S_IMODE(opened.st_mode) != PRIVATE_DIR:
            os.fchmod(fd, PRIVATE_DIR)
    finally:
        os.close(fd)


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
            Said(
                N_("{path} is a symbolic link; nudger does not write through links"), {"path": path}
            )
        )
    if not stat.S_ISREG(info.st_mode):
        raise NotARegularFile(Said(N_("{path} is not a regular file"), {"path": path}))


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
            raise NotARegularFile(Said(N_("{path} is not a regular file"), {"path": path}))
        if info.st_size > limit:
            raise NotARegularFile(
                Said(
                    N_("{path} is larger than {value} MB"),
                    {"path": path, "value": limit // (1024 * 1024)},
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
    result is private from its first byte. A link at `path` is followed only where it is the
    person's own (a settings file kept by a dotfile manager): the file it points to is
    replaced, the link stays. Another user's link (planted in /tmp, say) is never followed: the
    name itself becomes a file of the person's own, or, where the folder forbids that, NotOurs
    says so. Folders that exist keep their modes. `durable=False` skips the fsync, for files
    rewritten every few seconds and worthless after a power cut (the daemon's status).
    """
    target, planted = _name_to_replace(path)
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
        try:
            tmp.replace(target)  # a rename never follows a link at its destination
        except PermissionError:
            if not planted:
                raise
            # A folder like /tmp (sticky) lets no one replace another user's entry.
            raise NotOurs(
                Said(N_("another user's link is in its place; nudger does not write through it"))
            ) from None
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise


_MAX_LINKS = 40  # as the kernel's own limit on links followed in one path


def _name_to_replace(path: Path) -> tuple[Path, bool]:
    """The name a write to `path` replaces, and whether it is another user's link.

    Links are followed one at a time, each checked: the person's own (or the system's) are
    followed; another user's link as the last part is replaced itself, never followed; another
    user's link on the way (a folder) is refused with NotOurs."""
    pending = list((Path.cwd() / path).parts)
    resolved = Path(pending.pop(0))
    followed = 0
    while pending:
        part = pending.pop(0)
        if part in {"", "."}:
            continue
        if part == "..":
            resolved = resolved.parent
            continue
        candidate = resolved / part
        try:
            info = candidate.lstat()
        except OSError:
            return candidate.joinpath(*pending), False  # the rest is still to be made
        if not stat.S_ISLNK(info.st_mode):
            resolved = candidate
            continue
        if not _is_trusted(info) or not _target_folder_is_trusted(candidate):
            if not pending:
                return candidate, True
            raise NotOurs(
                Said(
                    N_("{path} is another user's link; nudger does not follow it"),
                    {"path": candidate},
                )
            )
        followed += 1
        if followed > _MAX_LINKS:
            raise NotOurs(Said(N_("{path} has too many links on the way"), {"path": path}))
        link = candidate.readlink()
        if link.is_absolute():
            resolved = Path(link.anchor)
            pending[:0] = link.parts[1:]
        else:
            pending[:0] = link.parts
    return resolved, False


def _target_folder_is_trusted(link: Path) -> bool:
    """The folder a link points into is the person's own or the system's (or is still to be
    made: the links on the way to it are checked one by one as they are followed)."""
    try:
        return _is_trusted((link.parent / link.readlink()).parent.stat())
    except FileNotFoundError:
        return True
    except OSError:
        return False
