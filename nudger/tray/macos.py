"""The status icon on macOS: an NSStatusItem in the menu bar with its NSMenu, through pyobjc.

AppKit draws and clicks only on the main thread, inside the application's run loop. So on macOS
the daemon's main thread runs that loop (run_main_loop) and takes its signals on a thread of its
own instead (Daemon.run; the signals stay blocked in every thread). show() and close() may come
from any thread: they hand their work to the main thread with AppHelper.callAfter. A click on a
menu line calls the target's `clicked:` on the main thread, which only hands the command on.

AppKit and PyObjCTools.AppHelper are passed in, so the decisions are tested on Linux through
fakes of that boundary, as the notifiers are.
"""

from __future__ import annotations

import functools
import importlib
import logging
from types import ModuleType
from typing import Any

from nudger.core.translate import N_
from nudger.tray.base import Handler, TrayState, TrayView, command_of, id_of, view_of
from nudger.tray.pictures import png_file

log = logging.getLogger(__name__)

# Menu bar icons are drawn 18 points high.
ICON_POINTS = 18.0
# NSApplicationActivationPolicyAccessory: a menu bar icon, no Dock icon, no menu of its own.
ACCESSORY = 1


class MacStatusItem:
    name = "menu bar"
    needs_main_thread = True

    def __init__(self, appkit: ModuleType | None = None, helper: ModuleType | None = None) -> None:
        # Imported only on macOS (tests pass fakes).
        self._appkit = appkit or importlib.import_module("AppKit")
        self._helper = helper or importlib.import_module("PyObjCTools.AppHelper")
        self._view = view_of(TrayState())
        self._on_command: Handler | None = None
        self._item: Any = None
        self._target: Any = None

    def start(self, on_command: Handler) -> None:
        self._on_command = on_command
        self._helper.callAfter(self._put_up)

    def show(self, view: TrayView) -> None:
        self._view = view
        self._helper.callAfter(self._apply, view)

    def close(self) -> None:
        self._helper.callAfter(self._take_down)

    def run_main_loop(self) -> None:
        """On the main thread: run AppKit's loop until stop_main_loop()."""
        application = self._appkit.NSApplication.sharedApplication()
        application.setActivationPolicy_(ACCESSORY)
        # installInterrupt=False: Ctrl-C stays the daemon's (its signal thread takes SIGINT).
        self._helper.runEventLoop(installInterrupt=False)

    def stop_main_loop(self) -> None:
        self._helper.callAfter(self._helper.stopEventLoop)

    # -- on the main thread ------------------------------------------------------------------

    def _put_up(self) -> None:
        appkit = self._appkit
        bar = appkit.NSStatusBar.systemStatusBar()
        self._item = bar.statusItemWithLength_(appkit.NSVariableStatusItemLength)
        self._target = _target_class(appkit).alloc().init()
        self._target.clicked = self._clicked
        self._apply(self._view)

    def _apply(self, view: TrayView) -> None:
        if self._item is None:
            return
        appkit = self._appkit
        button = self._item.button()
        path = png_file(view.mode)
        if path is not None:
            image = appkit.NSImage.alloc().initWithContentsOfFile_(str(path))
            image.setSize_((ICON_POINTS, ICON_POINTS))
            button.setImage_(image)
        button.setToolTip_(view.tooltip)
        menu = appkit.NSMenu.alloc().init()
        menu.setAutoenablesItems_(False)
        for entry in view.entries:
            if entry.separator:
                menu.addItem_(appkit.NSMenuItem.separatorItem())
                continue
            line = appkit.NSMenuItem.alloc().initWithTitle_action_keyEquivalent_(
                entry.label, "clicked:", ""
            )
            line.setTag_(id_of(entry))
            line.setTarget_(self._target)
            line.setEnabled_(entry.command is not None)
            menu.addItem_(line)
        self._item.setMenu_(menu)

    def _take_down(self) -> None:
        if self._item is not None:
            self._appkit.NSStatusBar.systemStatusBar().removeStatusItem_(self._item)
            self._item = None

    def _clicked(self, tag: int) -> None:
        command = command_of(tag)
        if command is not None and self._on_command is not None:
            self._on_command(command)


@functools.cache
def _target_class(appkit: ModuleType) -> Any:
    """An NSObject whose `clicked:` passes the menu line's tag on. Made once per AppKit (a
    second Objective-C class of the same name would be refused)."""

    class NudgerMenuTarget(appkit.NSObject):  # type: ignore[misc, name-defined]
        clicked: Any = None

        def clicked_(self, sender: Any) -> None:
            try:
                self.clicked(int(sender.tag()))
            except Exception:  # an error must not cross into AppKit
                log.exception(N_("the menu bar icon could not take a click"))

    return NudgerMenuTarget
