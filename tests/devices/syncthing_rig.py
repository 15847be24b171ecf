"""Real Syncthing instances on the loopback address, for the tests (Debian's `syncthing`).

Each has its own home, GUI port and listen port. Before its first start every setting that
reaches for the network is turned off (global and local discovery, relays, NAT traversal and
STUN, usage and crash reporting, upgrades), and the devices are introduced to each other through
the REST API with static tcp://127.0.0.1:PORT addresses: nothing leaves the loopback address.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import urllib.request
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from tests.desktop.rig import wait_until

SYNCTHING = shutil.which("syncthing")
SYNC_DEADLINE = 60.0

# Options set before the first start; names as in config.xml.
QUIET_OPTIONS = {
    "globalAnnounceEnabled": "false",
    "localAnnounceEnabled": "false",
    "relaysEnabled": "false",
    "natEnabled": "false",
    "urAccepted": "-1",
    "crashReportingEnabled": "false",
    "startBrowser": "false",
    "autoUpgradeIntervalH": "0",
    "stunKeepaliveStartS": "0",
    "stunKeepaliveMinS": "0",
    "stunServer": "",
    "globalAnnounceServer": "",
    "releasesURL": "",
}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Syncthing:
    def __init__(self, home: Path) -> None:
        # Failing, not skipping: a sync test that silently does not run proves nothing.
        assert SYNCTHING, "syncthing is not installed: run ./scripts/test, which installs it"
        self.home = home
        self.gui_port = free_port()
        self.listen_port = free_port()
        self.log = home / "syncthing.log"
        self.process: subprocess.Popen[bytes] | None = None
        env = self._env()
        subprocess.run(
            [SYNCTHING, "generate", f"--home={home}", "--no-default-folder"],
            env=env,
            check=True,
            capture_output=True,
            timeout=60,
        )
        self.api_key = self._quiet_config()
        self.device_id = ""

    def _env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("STN", "ST_"))}
        env.update(STNODEFAULTFOLDER="1", STNOUPGRADE="1", HOME=str(self.home))
        # No proxy either: the only peer is on the loopback address.
        for key in ("http_proxy", "https_proxy", "all_proxy", "HTTP_PROXY", "HTTPS_PROXY"):
            env.pop(key, None)
        return env

    def _quiet_config(self) -> str:
        path = self.home / "config.xml"
        tree = ET.parse(path)  # noqa: S314 - the file syncthing generate just wrote
        root = tree.getroot()
        options = root.find("options")
        assert options is not None
        for name, value in QUIET_OPTIONS.items():
            for element in options.findall(name):
                element.text = value
        listen = options.findall("listenAddress")
        listen[0].text = f"tcp://127.0.0.1:{self.listen_port}"
        for extra in listen[1:]:
            options.remove(extra)
        gui = root.find("gui")
        assert gui is not None
        address = gui.find("address")
        assert address is not None
        address.text = f"127.0.0.1:{self.gui_port}"
        tree.write(path)
        key = gui.findtext("apikey")
        assert key
        return key

    def start(self) -> Syncthing:
        with self.log.open("ab") as out:
            self.process = subprocess.Popen(
                [
                    SYNCTHING,
                    "serve",
                    f"--home={self.home}",
                    "--no-browser",
                    "--no-restart",
                    "--no-upgrade",
                ],
                env=self._env(),
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        status = wait_until(self._status, 60, lambda: f"syncthing to answer:\n{self.log_text()}")
        assert isinstance(status, dict)
        self.device_id = str(status["myID"])
        return self

    def _status(self) -> dict[str, Any] | None:
        assert self.process is not None
        assert self.process.poll() is None, self.log_text()
        try:
            answer = self.rest("GET", "/rest/system/status")
        except OSError:
            return None
        return answer if isinstance(answer, dict) else None

    def rest(self, method: str, path: str, body: object = None) -> Any:
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(
            f"http://127.0.0.1:{self.gui_port}{path}",
            data=data,
            method=method,
            headers={"X-API-Key": self.api_key, "Content-Type": "application/json"},
        )
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        with opener.open(request, timeout=10) as response:
            raw = response.read()
        return json.loads(raw) if raw.strip() else None

    def introduce(self, other: Syncthing, name: str) -> None:
        self.rest(
            "PUT",
            f"/rest/config/devices/{other.device_id}",
            {
                "deviceID": other.device_id,
                "name": name,
                "addresses": [f"tcp://127.0.0.1:{other.listen_port}"],
            },
        )

    def share(self, folder_id: str, path: Path, *devices: Syncthing) -> None:
        self.rest(
            "PUT",
            f"/rest/config/folders/{folder_id}",
            {
                "id": folder_id,
                "label": folder_id,
                "path": str(path),
                "type": "sendreceive",
                "devices": [{"deviceID": d.device_id} for d in (self, *devices)],
                "rescanIntervalS": 2,
                "fsWatcherEnabled": True,
                "fsWatcherDelayS": 1,
            },
        )

    def connected_to(self, other: Syncthing) -> bool:
        connections = self.rest("GET", "/rest/system/connections")["connections"]
        return bool(connections.get(other.device_id, {}).get("connected"))

    def peer_addresses(self) -> list[str]:
        connections = self.rest("GET", "/rest/system/connections")["connections"]
        return [c.get("address", "") for c in connections.values() if c.get("connected")]

    def log_text(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()


@contextmanager
def synced_pair(tmp: Path) -> Iterator[tuple[Syncthing, Syncthing, Path, Path]]:
    """Two Syncthings ("laptop", "desktop") connected on 127.0.0.1, sharing one folder each:
    (laptop's, desktop's, laptop's folder, desktop's folder)."""
    laptop = Syncthing(tmp / "syncthing-laptop")
    desktop = Syncthing(tmp / "syncthing-desktop")
    try:
        laptop.start()
        desktop.start()
        laptop_folder, desktop_folder = tmp / "laptop-sync", tmp / "desktop-sync"
        laptop_folder.mkdir()
        desktop_folder.mkdir()
        laptop.introduce(desktop, "desktop")
        desktop.introduce(laptop, "laptop")
        laptop.share("nudger", laptop_folder, desktop)
        desktop.share("nudger", desktop_folder, laptop)
        wait_until(
            lambda: laptop.connected_to(desktop) and desktop.connected_to(laptop),
            SYNC_DEADLINE,
            lambda: f"the two Syncthings to connect:\n{laptop.log_text()}",
        )
        yield laptop, desktop, laptop_folder, desktop_folder
    finally:
        laptop.stop()
        desktop.stop()


def assert_loopback_only(instance: Syncthing) -> None:
    """Nothing reaches beyond the loopback address."""
    options = instance.rest("GET", "/rest/config/options")
    assert not options["globalAnnounceEnabled"] and not options["localAnnounceEnabled"]
    assert not options["relaysEnabled"] and not options["natEnabled"]
    assert options["urAccepted"] == -1 and not options["crashReportingEnabled"]
    assert all(a.startswith("127.0.0.1:") for a in instance.peer_addresses())
