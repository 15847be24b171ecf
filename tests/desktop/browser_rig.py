"""Real browsers with nudger's companion in them, and a stand-in for the social sites.

- `StandIn` serves every page of every site from this machine, so the browsers see the real
  sites' addresses (https://www.instagram.com/alexdoe/) with no network. Chromium reaches it
  through --host-resolver-rules over HTTPS with a throwaway certificate (instagram.com is on
  its HSTS preload list, so plain HTTP would never be tried); Firefox through a proxy setting.
  It records every request, so a test can tell that a held-back page was never fetched.
- `ChromiumCompanion` and `FirefoxCompanion` start the browser in a temporary profile with the
  extension loaded and nudger's host installed by the real `nudger browser install`.
"""

from __future__ import annotations

import base64
import contextlib
import http.server
import json
import os
import shutil
import socket
import ssl
import struct
import subprocess
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar
from urllib.parse import urlsplit

from PIL import ImageGrab

from nudger.browser.install import extension_dir
from tests.desktop.rig import CHROMIUM_FLAGS, FIREFOX_PREFS, Desktop, chromium_binary, wait_until
from tests.nudger_process import run_cli

EXTENSION_ID = "eefhjfbklnfdcdocejapbmfkapmgdmfl"


@dataclass
class StandIn:
    """Pages by path, the same on every host: path -> title."""

    workdir: Path
    titles: dict[str, str]
    requests: list[tuple[str, str]] = field(default_factory=list)
    # When each page was asked for (time.monotonic()), for the benchmark.
    asked_at: list[tuple[float, str]] = field(default_factory=list)
    # More of a page's body, by its path (a script that moves on to the next page, say).
    more: Callable[[str], str] = lambda _path: ""
    # Server redirects by path: path -> where a 302 sends the browser.
    redirects: dict[str, str] = field(default_factory=dict)

    def start(self) -> StandIn:
        self._servers: list[http.server.ThreadingHTTPServer] = []
        handler = self._handler()
        https = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(*self._certificate())
        https.socket = context.wrap_socket(https.socket, server_side=True)
        proxy = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        for server in (https, proxy):
            threading.Thread(target=server.serve_forever, daemon=True).start()
            self._servers.append(server)
        self.https_port = https.server_address[1]
        self.proxy_port = proxy.server_address[1]
        return self

    def stop(self) -> None:
        for server in self._servers:
            server.shutdown()
            server.server_close()

    def fetched(self, path: str) -> int:
        return sum(1 for _, seen in list(self.requests) if seen == path)

    def _certificate(self) -> tuple[str, str]:
        cert, key = self.workdir / "stand-in.crt", self.workdir / "stand-in.key"
        subprocess.run(
            [
                "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                "-subj", "/CN=stand-in", "-keyout", str(key), "-out", str(cert),
            ],
            check=True,
            capture_output=True,
            timeout=60,
        )  # fmt: skip
        return str(cert), str(key)

    def _handler(self) -> type[http.server.BaseHTTPRequestHandler]:
        stand_in = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                # A proxy request names the whole address; a direct one only the path.
                parts = urlsplit(self.path)
                host = parts.netloc or self.headers.get("Host", "")
                path = parts.path or "/"
                if path == "/favicon.ico":
                    self.send_error(404)
                    return
                stand_in.asked_at.append((time.monotonic(), path))
                stand_in.requests.append((host, path))
                if path in stand_in.redirects:
                    self.send_response(302)
                    self.send_header("Location", stand_in.redirects[path])
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                title = stand_in.titles.get(path, f"Page {path}")
                body = (
                    f"<!doctype html><meta charset='utf-8'><title>{title}</title>"
                    f"<h1>{title}</h1><p>{host}{path}</p>{stand_in.more(path)}"
                ).encode()
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: object) -> None:
                return

        return Handler


class CompanionBrowser:
    """A browser on the test desktop with nudger's companion in it."""

    name: ClassVar[str]
    window_suffixes: ClassVar[tuple[str, ...]]

    def __init__(self, desktop: Desktop, stand_in: StandIn, env: dict[str, str]) -> None:
        self.desktop = desktop
        self.stand_in = stand_in
        self.env = env  # the daemon's environment: the same home and data folder
        self.home = Path(env["HOME"])
        self.process: subprocess.Popen[bytes] | None = None
        # The browser's own language (Chromium reads LANGUAGE), for the extension's _locales/.
        self.ui_language: dict[str, str] = {}
        self.remote = False  # started with remote=True: in_pause_page and the like can reach in

    def install_host(self) -> str:
        """`nudger browser install --browser NAME`, as a person runs it."""
        result = run_cli(self.env, "browser", "install", "--browser", self.name)
        assert result.returncode == 0, result.stdout + result.stderr
        return result.stdout

    def start(
        self, *, extension: bool = True, remote: bool = False, agree: bool = True
    ) -> CompanionBrowser:
        """Start the browser; `extension=False` starts it without the companion (to compare);
        `remote=True` lets the test reach into the browser as its own settings pages do (see
        `switch_off`, `withdraw_site_access`, `stop_background`); `agree=False` leaves the
        companion's first-run page unanswered (a new profile: `agree` answers it)."""
        raise NotImplementedError

    def welcome_title(self, key: str = "welcomeTitle") -> str:
        """The first-run page's title, in the browser's language."""
        language = self.ui_language.get("LANGUAGE", "en")
        messages = extension_dir() / "_locales" / language / "messages.json"
        return str(json.loads(messages.read_text(encoding="utf-8"))[key]["message"])

    def agree(self) -> None:
        """Agree on the companion's first-run page, as a person does: it comes to the front on
        its own when the companion is new; a click in the page, then the keyboard to its button.
        Then close it (the tab before it comes back to the front)."""
        self.wait_title(self.welcome_title(), timeout=60)
        self.wait_drawn()
        done = self.welcome_title("welcomeDoneTitle")
        # As a person tries again, and another way, when a press did not take: the click sets
        # where Tab starts from, so Tab reaches the button from above it and Shift+Tab from
        # below it; Space presses a button as Return does.
        for keys in (("Tab", "Return"), ("shift+Tab", "Return"), ("Tab", "space")):
            self.click_page()
            self.keys(*keys)
            with contextlib.suppress(AssertionError):
                self.wait_title(done, timeout=20)
                break
        else:
            shot = self.desktop.workdir / "agree-failed.png"
            ImageGrab.grab(xdisplay=self.desktop.env["DISPLAY"]).save(shot)
            raise AssertionError(
                f"no press on the first-run page took; in front: {self.title()!r} "
                f"(the screen: {shot})"
            )
        self.keys("ctrl+w")
        wait_until(lambda: self.title() != done, 30, "its tab to close")

    def wait_drawn(self, timeout: float = 60) -> None:
        """Until the page in front shows something: a browser names the tab after the page's
        <title> before it draws the page, and a key pressed before then goes nowhere."""

        def drawn() -> bool:
            where = subprocess.run(
                ["xdotool", "getactivewindow", "getwindowgeometry", "--shell"],
                env=self.desktop.env,
                capture_output=True,
                text=True,
                timeout=20,
                check=False,
            ).stdout
            box = dict(line.split("=", 1) for line in where.split() if "=" in line)
            if not {"X", "Y", "WIDTH", "HEIGHT"} <= box.keys():
                return False
            x, y, width, height = (int(box[k]) for k in ("X", "Y", "WIDTH", "HEIGHT"))
            screen = ImageGrab.grab(xdisplay=self.desktop.env["DISPLAY"]).convert("L")
            # Below the tabs and the toolbar: the page itself, dark text on a light page.
            page = screen.crop((x + 10, y + 130, x + width - 10, y + height - 10))
            darkest = page.getextrema()[0]  # one band ("L"): a number
            return isinstance(darkest, int | float) and darkest < 128

        wait_until(drawn, timeout, "the page in front drawn")

    def switch_off(self) -> None:
        """Switch the companion off, as the switch in the browser's extensions page does."""
        raise NotImplementedError

    def withdraw_site_access(self) -> None:
        """Take the companion's access to every site away, as the browser lets the person."""
        raise NotImplementedError

    def stop_background(self) -> None:
        """Stop the companion's background, as the browser does when it has been idle."""
        raise NotImplementedError

    def open(self, url: str) -> None:
        """Open `url` in a new tab of the running browser, as a link from another program does."""
        raise NotImplementedError

    def open_own_page(self, path: str) -> None:
        """Open one of the companion's own pages (pages/today.html ...) by its address, in front.
        (The toolbar button opens the same address; clicking it cannot be driven here: the
        browsers tuck an extension's button away in their extensions menu.) Needs remote=True."""
        raise NotImplementedError

    def in_own_page(self, expression: str) -> Any:
        """The value of a JavaScript expression (a promise is waited for) in the own page last
        opened with open_own_page."""
        raise NotImplementedError

    def wait_own_page(self, state: str, timeout: float = 60) -> None:
        """Until the own page says it is in `state` (its body's data-state)."""
        wait_until(
            lambda: self.own_page_says("document.body.dataset.state") == state,
            timeout,
            lambda: (
                f"the companion's page to be {state!r}, not "
                f"{self.own_page_says('document.body.dataset.state + document.body.innerText')!r}"
            ),
        )

    def own_page_says(self, expression: str) -> Any:
        """in_own_page, or None while the page is between two documents (loading)."""
        try:
            return self.in_own_page(expression)
        except AssertionError:
            return None

    def title(self) -> str:
        """The title of the page in front, without the browser's name."""
        title = self.desktop._title_of(self.desktop.active_window())
        for suffix in self.window_suffixes:
            title = title.removesuffix(suffix)
        return title

    def wait_title(self, title: str, timeout: float = 20) -> None:
        wait_until(lambda: self.title() == title, timeout, f"the page {title!r} in front")

    def keys(self, *keys: str) -> None:
        subprocess.run(
            ["xdotool", "key", "--delay", "150", *keys],
            env=self.desktop.env,
            check=True,
            capture_output=True,
            timeout=20,
        )

    def type_text(self, text: str) -> None:
        subprocess.run(
            ["xdotool", "type", "--delay", "20", text],
            env=self.desktop.env,
            check=True,
            capture_output=True,
            timeout=60,
        )

    def go_to(self, url: str) -> None:
        """Type an address into this tab's address bar, as a person does."""
        self.keys("ctrl+l")
        time.sleep(0.3)
        self.type_text(url)
        time.sleep(0.3)  # the address bar's suggestions settle before Return
        self.keys("Return")

    def click_page(self) -> None:
        """Click an empty part of the page, so that the keyboard goes to the page."""
        subprocess.run(
            ["xdotool", "mousemove", "40", "400", "click", "1"],
            env=self.desktop.env,
            check=True,
            capture_output=True,
            timeout=20,
        )
        time.sleep(0.3)

    def in_pause_page(self, expression: str) -> Any:
        """The value of a JavaScript `expression` in the pause page in front (started with
        remote=True): what the page shows, read as a person would see it."""
        raise NotImplementedError

    def press_on_pause(self, button: str) -> None:
        """Answer the pause with the keyboard, as a person can: Escape steps away; Go on is the
        second button. (Call it for "on" once the breath is over: until then it is disabled.)
        The click first puts the keyboard in the page, away from the autofocused button."""
        self.click_page()
        self.keys(*(["Escape"] if button == "away" else ["Tab", "Tab", "Return"]))


class ChromiumCompanion(CompanionBrowser):
    name = "chromium"
    window_suffixes = (" - Chromium",)

    @property
    def profile(self) -> Path:
        # `nudger browser install` writes to ~/.config/chromium/NativeMessagingHosts, which is
        # where Chromium looks when this is its user data folder.
        return self.home / ".config" / "chromium"

    def _flags(self) -> list[str]:
        port = self.stand_in.https_port
        return [
            *CHROMIUM_FLAGS,
            "--password-store=basic",
            f"--user-data-dir={self.profile}",
            f"--host-resolver-rules=MAP * 127.0.0.1:{port}, EXCLUDE localhost",
            "--ignore-certificate-errors",
        ]

    def start(
        self, *, extension: bool = True, remote: bool = False, agree: bool = True
    ) -> ChromiumCompanion:
        folder = run_cli(self.env, "browser", "extension-dir").stdout.strip()
        load = [f"--load-extension={folder}"] if extension else []
        # A port the system picks (other tests run beside this one); Chromium writes it down.
        self.remote = remote
        debugging = ["--remote-debugging-port=0"] if remote else []
        self.process = self.desktop._spawn(
            [chromium_binary(), *self._flags(), *load, *debugging, "about:blank"],
            "chromium-companion",
            extra_env={"HOME": str(self.home), **self.ui_language},
        )
        wait_until(lambda: self.desktop._find_window("Chromium"), 60, "Chromium's window")
        if extension and agree:
            self.agree()
        return self

    def open(self, url: str) -> None:
        subprocess.run(
            [chromium_binary(), *self._flags(), url],
            env={**self.desktop.env, "HOME": str(self.home)},
            check=True,
            capture_output=True,
            timeout=30,
        )

    def _devtools(self) -> DevTools:
        def written() -> bool:
            lines = (self.profile / "DevToolsActivePort").read_text().split()
            return len(lines) == 2

        wait_until(
            lambda: (self.profile / "DevToolsActivePort").exists() and written(),
            30,
            "Chromium's debugging port",
        )
        port, path = (self.profile / "DevToolsActivePort").read_text().split()
        return DevTools(int(port), path)

    def _in_extensions_page(self, expression: str) -> Any:
        """Run `expression` in chrome://extensions, opened behind the page in front, with the
        powers that page's own switches use (chrome.management, chrome.developerPrivate)."""
        with self._devtools() as devtools:
            target = devtools.call(
                "Target.createTarget", url="chrome://extensions", background=True
            )
            target_id = target["targetId"]
            session = devtools.call("Target.attachToTarget", targetId=target_id, flatten=True)
            try:
                # Until the page itself is there: the new tab starts as a blank document,
                # without the extensions page's powers.
                wait_until(
                    lambda: devtools.evaluate(
                        session["sessionId"],
                        "location.href.startsWith('chrome://extensions')"
                        " && typeof chrome.management?.setEnabled === 'function'"
                        " && typeof chrome.developerPrivate === 'object'",
                    ),
                    30,
                    "chrome://extensions loaded",
                )
                return devtools.evaluate(session["sessionId"], expression)
            finally:
                devtools.call("Target.closeTarget", targetId=target_id)

    _page: tuple[DevTools, str, str] | None = None

    def open_own_page(self, path: str) -> None:
        url = f"chrome-extension://{EXTENSION_ID}/{path}"
        if self._page is None:
            devtools = self._devtools().__enter__()
            target = devtools.call("Target.createTarget", url=url)
            session = devtools.call(
                "Target.attachToTarget", targetId=target["targetId"], flatten=True
            )
            self._page = (devtools, session["sessionId"], target["targetId"])
        else:
            devtools, session, _target = self._page
            devtools.call("Page.navigate", session, url=url)
        wait_until(
            lambda: (
                self.own_page_says("location.pathname + document.readyState") == f"/{path}complete"
            ),
            60,
            f"{path} loaded",
        )

    def in_own_page(self, expression: str) -> Any:
        assert self._page is not None, "open_own_page first"
        devtools, session, _target = self._page
        return devtools.evaluate(session, expression)

    def in_pause_page(self, expression: str) -> Any:
        with self._devtools() as devtools:
            pages = [
                target["targetId"]
                for target in devtools.call("Target.getTargets")["targetInfos"]
                if target["type"] == "page" and target["url"].endswith("/pause.html")
            ]
            assert pages, "no pause page is open"
            session = devtools.call("Target.attachToTarget", targetId=pages[-1], flatten=True)
            try:
                return devtools.evaluate(session["sessionId"], expression)
            finally:
                devtools.call("Target.detachFromTarget", sessionId=session["sessionId"])

    def switch_off(self) -> None:
        self._in_extensions_page(
            f"new Promise(done => chrome.management.setEnabled('{EXTENSION_ID}', false, done))"
        )

    def withdraw_site_access(self) -> None:
        # chrome://extensions, the extension's Details, "Site access: On click".
        self._in_extensions_page(
            "chrome.developerPrivate.updateExtensionConfiguration("
            f"{{extensionId: '{EXTENSION_ID}', hostAccess: 'ON_CLICK'}})"
        )

    def in_background(self, expression: str) -> Any:
        """The value of a JavaScript expression in the companion's running service worker, as
        chrome://serviceworker-internals' Inspect evaluates it (started with remote=True)."""
        with self._devtools() as devtools:
            workers = self._companion_workers(devtools)
            session = devtools.call("Target.attachToTarget", targetId=workers[0], flatten=True)
            try:
                return devtools.evaluate(session["sessionId"], expression)
            finally:
                devtools.call("Target.detachFromTarget", sessionId=session["sessionId"])

    def stop_background(self) -> None:
        """Stop the service worker, as Chromium does after 30 s without an event (and as
        chrome://serviceworker-internals' Stop does)."""
        with self._devtools() as devtools:
            for worker in self._companion_workers(devtools):
                devtools.call("Target.closeTarget", targetId=worker)

    @staticmethod
    def _companion_workers(devtools: DevTools) -> list[str]:
        """The companion's running service workers (their DevTools target ids)."""
        workers = [
            target["targetId"]
            for target in devtools.call("Target.getTargets")["targetInfos"]
            if target["type"] == "service_worker"
            and target["url"].startswith(f"chrome-extension://{EXTENSION_ID}/")
        ]
        assert workers, "no service worker of the companion's is running"
        return workers


class DevTools:
    """Chromium's DevTools protocol over its WebSocket, the little of it these tests need
    (no WebSocket library is among the project's dependencies; the protocol's framing is
    short: RFC 6455, text frames, masked toward the server)."""

    def __init__(self, port: int, path: str) -> None:
        self.port, self.path = port, path
        self._next = 0

    def __enter__(self) -> DevTools:
        self.sock = socket.create_connection(("127.0.0.1", self.port), timeout=60)
        key = base64.b64encode(os.urandom(16)).decode()
        self.sock.sendall(
            (
                f"GET {self.path} HTTP/1.1\r\nHost: 127.0.0.1:{self.port}\r\n"
                "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n"
            ).encode()
        )
        head = b""
        while b"\r\n\r\n" not in head:
            chunk = self.sock.recv(1)
            assert chunk, "DevTools closed the connection"
            head += chunk
        assert head.startswith(b"HTTP/1.1 101"), head
        return self

    def __exit__(self, *_exc: object) -> None:
        self.sock.close()

    def call(self, method: str, session: str | None = None, **params: Any) -> Any:
        self._next += 1
        message: dict[str, Any] = {"id": self._next, "method": method, "params": params}
        if session:
            message["sessionId"] = session
        self._send(json.dumps(message).encode())
        while True:
            answer = json.loads(self._receive())
            if answer.get("id") == self._next:
                assert "error" not in answer, f"{method}: {answer['error']}"
                return answer.get("result", {})

    def evaluate(self, session: str, expression: str) -> Any:
        result = self.call(
            "Runtime.evaluate",
            session,
            expression=expression,
            awaitPromise=True,
            returnByValue=True,
        )
        assert "exceptionDetails" not in result, result["exceptionDetails"]
        return result["result"].get("value")

    def _send(self, payload: bytes) -> None:
        mask = os.urandom(4)
        size = len(payload)
        if size < 126:
            header = struct.pack("!BB", 0x81, 0x80 | size)
        elif size < 1 << 16:
            header = struct.pack("!BBH", 0x81, 0x80 | 126, size)
        else:
            header = struct.pack("!BBQ", 0x81, 0x80 | 127, size)
        masked = bytes(byte ^ mask[i % 4] for i, byte in enumerate(payload))
        self.sock.sendall(header + mask + masked)

    def _receive(self) -> bytes:
        message = b""
        while True:
            first, second = self._exactly(2)
            size = second & 0x7F
            if size == 126:
                (size,) = struct.unpack("!H", self._exactly(2))
            elif size == 127:
                (size,) = struct.unpack("!Q", self._exactly(8))
            message += self._exactly(size)
            if first & 0x80:  # the last fragment
                return message

    def _exactly(self, count: int) -> bytes:
        data = b""
        while len(data) < count:
            chunk = self.sock.recv(count - len(data))
            assert chunk, "DevTools closed the connection"
            data += chunk
        return data


class FirefoxCompanion(CompanionBrowser):
    name = "firefox"
    window_suffixes = (" — Mozilla Firefox", " - Mozilla Firefox", " — Firefox", " - Firefox")
    _marionette: Marionette | None = None

    @property
    def profile(self) -> Path:
        return self.home / "firefox-profile"

    def start(
        self, *, extension: bool = True, remote: bool = False, agree: bool = True
    ) -> FirefoxCompanion:
        # The extension as `nudger browser install` packaged it, where Firefox finds it in a
        # profile, unsigned (allowed by the prefs below, as Firefox ESR allows).
        extensions = self.profile / "extensions"
        extensions.mkdir(parents=True, exist_ok=True)
        if extension:
            package = Path(self.env["NUDGER_DATA_DIR"]) / "browser" / "nudger-companion.xpi"
            shutil.copy(package, extensions / "companion@nudger.app.xpi")
        prefs = FIREFOX_PREFS + COMPANION_PREFS.format(port=self.stand_in.proxy_port)
        # Marionette, Firefox's own remote control, on a port the system picks (other tests run
        # beside this one; Firefox writes it to MarionetteActivePort), with the powers of
        # about:addons' own switches (--remote-allow-system-access).
        self.remote = remote
        remote_args = ["--marionette", "--remote-allow-system-access"] if remote else []
        if remote:
            prefs += 'user_pref("marionette.port", 0);\n'
            (self.profile / "MarionetteActivePort").unlink(missing_ok=True)
        (self.profile / "user.js").write_text(prefs, encoding="utf-8")
        # Started without --no-remote, so that `firefox-esr --new-tab` reaches this instance.
        self.process = self.desktop._spawn(
            [
                "firefox-esr",
                "--new-instance",
                "--profile",
                str(self.profile),
                *remote_args,
                "about:blank",
            ],
            "firefox-companion",
            extra_env=self._env(),
        )
        wait_until(lambda: self.desktop._find_window("Firefox"), 90, "Firefox's window")
        if extension and agree:
            self.agree()
        return self

    def _env(self) -> dict[str, str]:
        return {
            "HOME": str(self.home),
            "MOZ_CRASHREPORTER_DISABLE": "1",
            "MOZ_DISABLE_CONTENT_SANDBOX": "1",
        }

    def open(self, url: str) -> None:
        subprocess.run(
            ["firefox-esr", "--profile", str(self.profile), "--new-tab", url],
            env={**self.desktop.env, **self._env()},
            check=True,
            capture_output=True,
            timeout=30,
        )

    def _in_browser(self, script: str) -> Any:
        """Run `script` (its last line `return` a promise or a value) in Firefox's own chrome,
        where about:addons runs, through Marionette.

        One session for the browser's life: ending a Marionette session resets
        network.stricttransportsecurity.preloadlist (Certificates.enableSecurityChecks), which
        would send www.instagram.com to HTTPS, past the plain-HTTP stand-in."""
        if self._marionette is None:
            active = self.profile / "MarionetteActivePort"
            wait_until(lambda: active.exists() and active.read_text().strip(), 60, "Marionette")
            self._marionette = Marionette(int(active.read_text())).__enter__()
            self._marionette.call("WebDriver:NewSession", capabilities={})
            self._marionette.call("Marionette:SetContext", value="chrome")
        wrapped = (
            "const done = arguments[arguments.length - 1];"
            f"Promise.resolve((async () => {{ {script} }})())"
            ".then(value => done({ok: value ?? null}), error => done({error: String(error)}));"
        )
        answer = self._marionette.call("WebDriver:ExecuteAsyncScript", script=wrapped, args=[])
        value = answer["value"]
        assert "error" not in value, value["error"]
        return value["ok"]

    def open_own_page(self, path: str) -> None:
        url = self._in_browser(
            f'return WebExtensionPolicy.getByID("{FIREFOX_ID}").getURL("{path}");'
        )
        assert self._marionette is not None
        self._marionette.call("Marionette:SetContext", value="content")
        try:
            self._marionette.call("WebDriver:Navigate", url=url)
        finally:
            self._marionette.call("Marionette:SetContext", value="chrome")

    def press_toolbar_button(self) -> None:
        """The companion's toolbar button, as a click on it runs it: Firefox's own handler for
        the button (ext-browserAction's triggerAction), in the browser's front window."""
        self._in_browser(
            "const { ExtensionParent } = ChromeUtils.importESModule("
            '"resource://gre/modules/ExtensionParent.sys.mjs");'
            f'const policy = WebExtensionPolicy.getByID("{FIREFOX_ID}");'
            'const window = Services.wm.getMostRecentWindow("navigator:browser");'
            "ExtensionParent.apiManager.global.browserActionFor(policy.extension)"
            ".triggerAction(window);"
        )

    def in_own_page(self, expression: str) -> Any:
        assert self._marionette is not None, "open_own_page first"
        self._marionette.call("Marionette:SetContext", value="content")
        try:
            wrapped = (
                "const done = arguments[arguments.length - 1];"
                f"Promise.resolve((async () => ({expression}))())"
                ".then(value => done({ok: value ?? null}), error => done({error: String(error)}));"
            )
            answer = self._marionette.call("WebDriver:ExecuteAsyncScript", script=wrapped, args=[])
        finally:
            self._marionette.call("Marionette:SetContext", value="chrome")
        value = answer["value"]
        # No value at all: the document went away under the script (a reload).
        assert value is not None, "the page was between two documents"
        assert "error" not in value, value["error"]
        return value["ok"]

    def in_pause_page(self, expression: str) -> Any:
        # Marionette's content context, in the tab in front (the pause page), then back to the
        # browser's own chrome where the other steps run.
        self._in_browser("return 1;")  # the session, once
        marionette = self._marionette
        assert marionette is not None
        marionette.call("Marionette:SetContext", value="content")
        try:
            handles = marionette.call("WebDriver:GetWindowHandles")
            for handle in reversed(handles if isinstance(handles, list) else handles["value"]):
                marionette.call("WebDriver:SwitchToWindow", handle=handle)
                where = marionette.call("WebDriver:GetCurrentURL")["value"]
                if where.endswith("/pause.html"):
                    break
            else:
                raise AssertionError("no pause page is open")
            answer = marionette.call(
                "WebDriver:ExecuteAsyncScript",
                script=(
                    "const done = arguments[arguments.length - 1];"
                    f"Promise.resolve({expression})"
                    ".then(value => done({ok: value ?? null}), e => done({error: String(e)}));"
                ),
                args=[],
            )
        finally:
            marionette.call("Marionette:SetContext", value="chrome")
        value = answer["value"]
        # Marionette answers null when the page went away before the script did (a reload).
        assert value is not None, "the pause page went away while it was read"
        assert "error" not in value, value["error"]
        return value["ok"]

    def switch_off(self) -> None:
        # about:addons' switch: AddonManager's disable().
        self._in_browser(
            "const { AddonManager } = ChromeUtils.importESModule("
            '"resource://gre/modules/AddonManager.sys.mjs");'
            f'const addon = await AddonManager.getAddonByID("{FIREFOX_ID}");'
            "await addon.disable(); return addon.userDisabled;"
        )

    def withdraw_site_access(self) -> None:
        # about:addons, the extension, Permissions: "Access your data for all websites" off.
        # The same steps as that switch (addon-card.mjs, setAddonPermission).
        self._in_browser(
            "const { AddonManager } = ChromeUtils.importESModule("
            '"resource://gre/modules/AddonManager.sys.mjs");'
            "const { ExtensionPermissions } = ChromeUtils.importESModule("
            '"resource://gre/modules/ExtensionPermissions.sys.mjs");'
            f'const addon = await AddonManager.getAddonByID("{FIREFOX_ID}");'
            "const perms = ExtensionPermissions.normalizeOptional("
            '{permissions: [], origins: ["<all_urls>"]}, addon.optionalPermissions);'
            "const policy = WebExtensionPolicy.getByID(addon.id);"
            "await ExtensionPermissions.remove(addon.id, perms, policy?.extension);"
        )

    def stop_background(self) -> None:
        """Stop the event page as Firefox's idle timer does (Extension.terminateBackground).

        Firefox itself never does this while nudger's host is connected: an event page with a
        native-messaging port open is exempt from the idle suspend, and about:debugging's
        "Terminate background script" is refused the same way (ext-backgroundPage.js,
        terminateBackground: `hasActiveNativeAppPorts`). It suspends once the port has been
        closed for the idle timeout (the host gone, the companion waiting to reconnect), or
        restarts after its process crashed. The test forces the same termination past that
        exemption with the switch Firefox keeps for its own tests (`disableResetIdleForTest`),
        so that the pause page meets a background that starts from nothing."""
        state = self._in_browser(
            f'const policy = WebExtensionPolicy.getByID("{FIREFOX_ID}");'
            "await policy.extension.terminateBackground("
            "{ignoreDevToolsAttached: true, disableResetIdleForTest: true});"
            "return policy.extension.backgroundState;"
        )
        assert state == "stopped", state


FIREFOX_ID = "companion@nudger.app"


class Marionette:
    """Firefox's Marionette protocol, the little of it these tests need: JSON messages, each
    sent as its length, a colon and the JSON."""

    def __init__(self, port: int) -> None:
        self.port = port
        self._next = 0

    def __enter__(self) -> Marionette:
        self.sock = socket.create_connection(("127.0.0.1", self.port), timeout=60)
        self._receive()  # the greeting
        return self

    def __exit__(self, *_exc: object) -> None:
        self.sock.close()

    def call(self, command: str, **params: Any) -> Any:
        self._next += 1
        body = json.dumps([0, self._next, command, params]).encode()
        self.sock.sendall(str(len(body)).encode() + b":" + body)
        while True:
            kind, number, error, result = self._receive()
            if kind == 1 and number == self._next:
                assert error is None, f"{command}: {error}"
                return result

    def _receive(self) -> Any:
        size = b""
        while not size.endswith(b":"):
            chunk = self.sock.recv(1)
            assert chunk, "Marionette closed the connection"
            size += chunk
        body = b""
        while len(body) < int(size[:-1]):
            chunk = self.sock.recv(int(size[:-1]) - len(body))
            assert chunk, "Marionette closed the connection"
            body += chunk
        return json.loads(body)


COMPANION_PREFS = """
user_pref("xpinstall.signatures.required", false);
user_pref("extensions.autoDisableScopes", 0);
user_pref("extensions.enabledScopes", 15);
user_pref("network.proxy.type", 1);
user_pref("network.proxy.http", "127.0.0.1");
user_pref("network.proxy.http_port", {port});
user_pref("network.proxy.allow_hijacking_localhost", true);
user_pref("network.stricttransportsecurity.preloadlist", false);
user_pref("dom.security.https_first", false);
user_pref("dom.security.https_only_mode", false);
user_pref("dom.security.https_only_mode_pbm", false);
user_pref("dom.security.https_first_pbm", false);
user_pref("browser.fixup.fallback-to-https", false);
user_pref("devtools.console.stdout.chrome", true);
user_pref("devtools.console.stdout.content", true);
"""

BROWSERS: dict[str, type[CompanionBrowser]] = {
    "chromium": ChromiumCompanion,
    "firefox": FirefoxCompanion,
}


def address(browser: CompanionBrowser, host: str, path: str) -> str:
    """The real site's address as this browser reaches the stand-in (Firefox's proxy speaks
    plain HTTP; nudger ignores the scheme)."""
    scheme = "http" if browser.name == "firefox" else "https"
    return f"{scheme}://{host}{path}"
