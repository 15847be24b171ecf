"""A status icon host for tests: the watcher side of the StatusNotifierItem protocol, spoken over
a real session bus with jeepney, as a panel speaks it. It owns org.kde.StatusNotifierWatcher,
takes registrations, and reads an item's properties and calls its menu as a panel does."""

from __future__ import annotations

import contextlib
import socket
import threading
from typing import Any

from jeepney import DBusAddress, HeaderFields, MessageType, new_method_call, new_method_return
from jeepney.bus_messages import message_bus
from jeepney.io.blocking import DBusConnection, open_dbus_connection
from jeepney.wrappers import unwrap_msg

WATCHER = "org.kde.StatusNotifierWatcher"
ITEM = "org.kde.StatusNotifierItem"
MENU = "com.canonical.dbusmenu"
PROPERTIES = "org.freedesktop.DBus.Properties"


class TrayHost:
    def __init__(self, bus_address: str) -> None:
        self.bus_address = bus_address
        self.registered: list[tuple[str, str]] = []  # (service, sender)
        self._server: DBusConnection | None = None
        self._thread: threading.Thread | None = None
        self._client = open_dbus_connection(bus=bus_address)

    def start(self) -> TrayHost:
        server = open_dbus_connection(bus=self.bus_address)
        reply = server.send_and_get_reply(message_bus.RequestName(WATCHER, 4), timeout=5)
        assert unwrap_msg(reply) == (1,), "someone else owns the watcher name"
        self._server = server
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()
        return self

    def _serve(self) -> None:
        # Until stop() shuts the connection, whether it is then receiving or answering.
        with contextlib.suppress(OSError, ValueError):
            while True:
                self._answer_next()

    def _answer_next(self) -> None:
        assert self._server is not None
        message = self._server.receive()
        fields = message.header.fields
        if message.header.message_type != MessageType.method_call:
            return
        member = fields.get(HeaderFields.member)
        if member == "RegisterStatusNotifierItem":
            self.registered.append((message.body[0], fields[HeaderFields.sender]))
            self._server.send(new_method_return(message))
        elif member == "Get" and fields.get(HeaderFields.interface) == PROPERTIES:
            value: dict[str, tuple[str, Any]] = {
                "IsStatusNotifierHostRegistered": ("b", True),
                "ProtocolVersion": ("i", 0),
                "RegisteredStatusNotifierItems": ("as", [s for s, _ in self.registered]),
            }
            self._server.send(new_method_return(message, "v", (value[message.body[1]],)))
        else:
            self._server.send(new_method_return(message))

    def stop(self) -> None:
        if self._server is not None:
            with contextlib.suppress(OSError):
                self._server.sock.shutdown(socket.SHUT_RDWR)
            if self._thread is not None:
                self._thread.join(5)
            self._server.close()
            self._server = None
        self._client.close()

    # -- as a panel reads an item ------------------------------------------------------------

    def item(self) -> str:
        return self.registered[-1][0]

    def _call(
        self, path: str, interface: str, member: str, signature: str = "", body: Any = ()
    ) -> Any:
        address = DBusAddress(path, bus_name=self.item(), interface=interface)
        reply = self._client.send_and_get_reply(
            new_method_call(address, member, signature, body), timeout=5
        )
        return unwrap_msg(reply)

    def properties(self) -> dict[str, Any]:
        (table,) = self._call("/StatusNotifierItem", PROPERTIES, "GetAll", "s", (ITEM,))
        return {name: value for name, (_signature, value) in table.items()}

    def menu_path(self) -> str:
        return str(self.properties()["Menu"])

    def layout(self) -> dict[str, int]:
        """The menu's lines as label -> id (separators left out)."""
        _revision, (_root, _props, children) = self._call(
            self.menu_path(), MENU, "GetLayout", "iias", (0, -1, [])
        )
        lines = {}
        for _signature, (item_id, props, _grandchildren) in children:
            if "label" in props:
                lines[props["label"][1]] = item_id
        return lines

    def enabled(self, item_id: int) -> bool:
        (value,) = self._call(self.menu_path(), MENU, "GetProperty", "is", (item_id, "enabled"))
        return bool(value[1])

    def click(self, item_id: int) -> None:
        self._call(self.menu_path(), MENU, "Event", "isvu", (item_id, "clicked", ("i", 0), 0))
