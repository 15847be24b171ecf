"""Idle time on wlroots compositors (sway, Hyprland, river, ...), through swayidle.

Wayland lets no program read the input idle time directly. swayidle subscribes to the
compositor's idle protocol (ext-idle-notify-v1, or the older KDE idle protocol) and runs a command
when input has stopped for N seconds and again when it resumes; here those commands just print a
word, which we read. While idle, the idle time is N plus the time since the notice.
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import subprocess
import time
from collections.abc import Mapping

from nudger.core.translate import N_
from nudger.framing import Lines, LineTooLong

log = logging.getLogger(__name__)
# swayidle prints a word per notice: a longer line is not one.
_MAX_LINE = 1024


class IdleWatch:
    def __init__(self, process: subprocess.Popen[bytes], threshold_seconds: float) -> None:
        self._process = process
        self._threshold = threshold_seconds
        self._idle_since: float | None = None
        self._notices = Lines(_MAX_LINE)
        if process.stdout is not None:
            os.set_blocking(process.stdout.fileno(), False)

    @classmethod
    def start(
        cls, threshold_seconds: float, env: Mapping[str, str] | None = None
    ) -> IdleWatch | None:
        program = shutil.which("swayidle")
        if program is None:
            log.warning(
                N_(
                    "swayidle is not installed, so idle time is not known on this Wayland desktop; "
                    "time away from the keyboard will be counted (install the swayidle package)"
                )
            )
            return None
        seconds = str(max(1, round(threshold_seconds)))
        process = subprocess.Popen(
            [program, "-w", "timeout", seconds, "echo idle", "resume", "echo active"],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env=dict(env) if env is not None else None,
        )
        return cls(process, float(seconds))

    def idle_seconds(self) -> float:
        self._read_notices()
        if self._idle_since is None:
            return 0.0
        return self._threshold + (time.monotonic() - self._idle_since)

    def _read_notices(self) -> None:
        stream = self._process.stdout
        if stream is None:
            return
        with contextlib.suppress(BlockingIOError):
            chunk = stream.read()
            if chunk:
                self._notices.feed(chunk)
        while True:
            try:
                notice = self._notices.next()
            except LineTooLong:
                log.info(N_("swayidle wrote a line that is no notice; skipped it"))
                continue
            if notice is None:
                return
            if notice.strip() == b"idle":
                self._idle_since = time.monotonic()
            elif notice.strip() == b"active":
                self._idle_since = None

    def close(self) -> None:
        if self._process.poll() is None:
            # Not SIGTERM: the daemon blocks it in its threads (signals.py) and children inherit
            # that. swayidle has nothing to save.
            self._process.kill()
            with contextlib.suppress(subprocess.TimeoutExpired):
                self._process.wait(timeout=2)
