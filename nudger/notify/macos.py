"""Notifications on macOS, through `osascript -e 'display notification ...'`.

Why osascript, and not the notification APIs:
- UNUserNotificationCenter (the modern API, the only one with action buttons) works only in a
  process that belongs to a signed app bundle with a bundle identifier. A `pip install`ed
  Python has neither: asking for the current notification center there fails. nudger would
  need its own signed .app to use it.
- NSUserNotification (what plyer uses, through pyobjus, which nobody installs) is deprecated
  and shows nothing on recent macOS.
- `display notification` is part of AppleScript's Standard Additions, ships with every macOS,
  needs no bundle and no extra package, and reports failure through its exit status. It has
  no buttons, so the body says how to snooze, as on other backends without buttons.

The title and body never become part of the script: the script is a constant that reads them
from its arguments (`on run argv`). A first, fixed argument ends osascript's option parsing,
so even a title that begins with "-e" is only text. Nothing a page title holds can run.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from typing import Any

from nudger.core.translate import N_, Said
from nudger.notify.base import (
    Delivery,
    Feedback,
    Notification,
    fitted,
)

SCRIPT = (
    "on run argv",
    "display notification (item 3 of argv) with title (item 2 of argv)",
    "end run",
)
# Ends osascript's options: what follows is argv, whatever it looks like.
FIRST_ARGUMENT = "nudger"
OSASCRIPT_TIMEOUT = 10.0

Runner = Callable[..., "subprocess.CompletedProcess[str]"]


class MacNotifier:
    name = "osascript"

    def __init__(
        self, run: Runner = subprocess.run, which: Callable[[str], Any] = shutil.which
    ) -> None:
        self._run = run
        self._which = which

    def command(self, notification: Notification) -> list[str]:
        title, body = fitted(notification, with_hint=True)
        script = [part for line in SCRIPT for part in ("-e", line)]
        return ["osascript", *script, FIRST_ARGUMENT, title, body]

    def send(self, notification: Notification) -> Delivery:
        if self._which("osascript") is None:
            return Delivery(False, self.name, problem=Said(N_("osascript is not on PATH")))
        try:
            result = self._run(
                self.command(notification),
                capture_output=True,
                text=True,
                timeout=OSASCRIPT_TIMEOUT,
                check=False,
            )
        except subprocess.TimeoutExpired:
            return Delivery(False, self.name, problem=Said(N_("osascript did not finish in 10 s")))
        except OSError as error:
            return Delivery(
                False,
                self.name,
                problem=Said(N_("cannot run osascript: {error}"), {"error": error}),
            )
        if result.returncode != 0:
            said = (result.stderr or "").strip().splitlines()
            reason = said[-1] if said else f"exit code {result.returncode}"
            return Delivery(
                False, self.name, problem=Said(N_("osascript said: {reason}"), {"reason": reason})
            )
        return Delivery(True, self.name)

    def feedback(self) -> list[Feedback]:
        return []  # display notification reports nothing back

    def close(self) -> None:
        """Nothing to release."""
