"""`nudger doctor`: which window backend would be used here, and whether it works."""

from __future__ import annotations

import argparse
from typing import Any

from nudger import sensing
from nudger.sensing import SensorUnavailable


def register(commands: Any) -> None:
    parser: argparse.ArgumentParser = commands.add_parser(
        "doctor",
        help="check that nudger can see your windows",
        description="Say which window backend nudger would use on this desktop, whether it works, "
        "and what to do if it does not.",
    )
    parser.set_defaults(handler=run)


def run(_args: argparse.Namespace) -> int:
    backend = sensing.detect()
    print(f"Window backend: {backend.name} ({backend.reason})")
    try:
        sensor = backend.open()
    except SensorUnavailable as error:
        print(f"  not working: {error}")
        print("  nudger keeps trying in the background, so starting it before the desktop is fine.")
        return 1
    try:
        reading = sensor.read()
    except SensorUnavailable as error:
        print(f"  not working: {error}")
        return 1
    finally:
        sensor.close()
    if reading.window is None:
        print("  working: no window is in front right now")
    else:
        print(
            "  working: the window in front belongs to "
            f"{reading.window.app or 'an unnamed program'}"
        )
        print(f"  its title reads: {reading.window.title!r}")
    print(f"  idle for {reading.idle_seconds:.0f} s")
    return 0
