"""Blocking D-Bus method calls on the session bus, with jeepney, for the desktop backends."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol

from jeepney import DBusAddress, new_method_call
from jeepney.io.blocking import DBusConnection, open_dbus_connection
from jeepney.wrappers import DBusErrorResponse, unwrap_msg

from nudger.core.translate import N_, Said
from nudger.session_bus import session_bus_address

CALL_TIMEOUT_SECONDS = 2.0


class CallFailed(Exception):
    """A D-Bus call that did not work: no bus, no such service, method or object."""

    def __init__(self, message: str | Said, name: str | None = None) -> None:
        super().__init__(message)
        self.name = name


class Caller(Protocol):
    """The OS boundary of the GNOME and KDE backends: one method call, one reply body."""

    def __call__(
        self,
        bus_name: str,
        path: str,
        interface: str,
        method: str,
        *,
        signature: str | None = None,
        body: tuple[Any, ...] = (),
    ) -> tuple[Any, ...]: ...


class SessionBusCaller:
    def __init__(self, env: Mapping[str, str] | None = None) -> None:
        self._env = env
        self._connection: DBusConnection | None = None

    def __call__(
        self,
        bus_name: str,
        path: str,
        interface: str,
        method: str,
        *,
        signature: str | None = None,
        body: tuple[Any, ...] = (),
    ) -> tuple[Any, ...]:
        try:
            connection = self._connect()
            message = new_method_call(
                DBusAddress(path, bus_name=bus_name, interface=interface), method, signature, body
            )
            reply = connection.send_and_get_reply(message, timeout=CALL_TIMEOUT_SECONDS)
            return tuple(unwrap_msg(reply))
        except DBusErrorResponse as error:
            raise CallFailed(f"{interface}.{method}: {error}", error.name) from None
        except (
            OSError,
            ConnectionError,
            TimeoutError,
            KeyError,
            ValueError,
            StopIteration,
        ) as error:
            self.close()
            raise CallFailed(
                Said(N_("the session bus is not reachable ({error})"), {"error": error})
            ) from None

    def _connect(self) -> DBusConnection:
        if self._connection is None:
            address = session_bus_address(self._env)
            if address is None:
                raise ConnectionError(Said(N_("DBUS_SESSION_BUS_ADDRESS is not set")))
            self._connection = open_dbus_connection(bus=address)
        return self._connection

    def close(self) -> None:
        if self._connection is not None:
            try:
                self._connection.close()
            finally:
                self._connection = None
