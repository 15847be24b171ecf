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

import http.server
import shutil
import ssl
import subprocess
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import ClassVar
from urllib.parse import urlsplit

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

    def install_host(self) -> str:
        """`nudger browser install --browser NAME`, as a person runs it."""
        result = run_cli(self.env, "browser", "install", "--browser", self.name)
        assert result.returncode == 0, result.stdout + result.stderr
        return result.stdout

    def start(self, *, extension: bool = True) -> CompanionBrowser:
        """Start the browser; `extension=False` starts it without the companion (to compare)."""
        raise NotImplementedError

    def open(self, url: str) -> None:
        """Open `url` in a new tab of the running browser, as a link from another program does."""
        raise NotImplementedError

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

    def start(self, *, extension: bool = True) -> ChromiumCompanion:
        folder = run_cli(self.env, "browser", "extension-dir").stdout.strip()
        load = [f"--load-extension={folder}"] if extension else []
        self.process = self.desktop._spawn(
            [chromium_binary(), *self._flags(), *load, "about:blank"],
            "chromium-companion",
            extra_env={"HOME": str(self.home), **self.ui_language},
        )
        wait_until(lambda: self.desktop._find_window("Chromium"), 60, "Chromium's window")
        return self

    def open(self, url: str) -> None:
        subprocess.run(
            [chromium_binary(), *self._flags(), url],
            env={**self.desktop.env, "HOME": str(self.home)},
            check=True,
            capture_output=True,
            timeout=30,
        )


class FirefoxCompanion(CompanionBrowser):
    name = "firefox"
    window_suffixes = (" — Mozilla Firefox", " - Mozilla Firefox", " — Firefox", " - Firefox")

    @property
    def profile(self) -> Path:
        return self.home / "firefox-profile"

    def start(self, *, extension: bool = True) -> FirefoxCompanion:
        # The extension as `nudger browser install` packaged it, where Firefox finds it in a
        # profile, unsigned (allowed by the prefs below, as Firefox ESR allows).
        extensions = self.profile / "extensions"
        extensions.mkdir(parents=True, exist_ok=True)
        if extension:
            package = Path(self.env["NUDGER_DATA_DIR"]) / "browser" / "nudger-companion.xpi"
            shutil.copy(package, extensions / "companion@nudger.app.xpi")
        (self.profile / "user.js").write_text(
            FIREFOX_PREFS + COMPANION_PREFS.format(port=self.stand_in.proxy_port), encoding="utf-8"
        )
        # Started without --no-remote, so that `firefox-esr --new-tab` reaches this instance.
        self.process = self.desktop._spawn(
            ["firefox-esr", "--new-instance", "--profile", str(self.profile), "about:blank"],
            "firefox-companion",
            extra_env=self._env(),
        )
        wait_until(lambda: self.desktop._find_window("Firefox"), 90, "Firefox's window")
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
