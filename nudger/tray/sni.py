"""The status icon on Linux: a StatusNotifierItem and its com.canonical.dbusmenu menu, spoken
over D-Bus with jeepney. No GTK: the libraries that draw a tray icon through GTK break where GTK
does not (Wayland, new desktops), and the protocol is small.

One thread serves the desktop. It blocks on the connection (no timeout: it wakes only when a
message comes, and close() wakes it by shutting the socket) and answers the panel's calls from
the current `TrayView`, a frozen value that show() swaps in whole. Messages from other threads
(a new icon, a new menu) are sent under one lock, which is all jeepney's blocking connection
needs to be shared.

The item registers with the org.kde.StatusNotifierWatcher when one is present, and again each
time a watcher appears (a panel started or restarted later), by watching NameOwnerChanged.
Where none ever comes (stock GNOME without the AppIndicator extension), there is no icon:
`nudger doctor` says so and how to get one.
"""

from __future__ import annotations

import contextlib
import logging
import os
import socket
import threading
from collections.abc import Mapping
from typing import Any

from jeepney import (
    DBusAddress,
    HeaderFields,
    MatchRule,
    Message,
    MessageType,
    new_error,
    new_method_call,
    new_method_return,
    new_signal,
)
from jeepney.bus_messages import message_bus
from jeepney.io.blocking import DBusConnection, open_dbus_connection
from jeepney.wrappers import DBusErrorResponse, unwrap_msg

from nudger.core.translate import N_, Said
from nudger.session_bus import session_bus_address
from nudger.tray.base import Entry, Handler, TrayState, TrayView, command_of, id_of, view_of
from nudger.tray.pictures import icon_name, icons_folder, pixmaps

log = logging.getLogger(__name__)

WATCHER_NAME = "org.kde.StatusNotifierWatcher"
WATCHER = DBusAddress("/StatusNotifierWatcher", bus_name=WATCHER_NAME, interface=WATCHER_NAME)
ITEM_PATH = "/StatusNotifierItem"
ITEM_INTERFACE = "org.kde.StatusNotifierItem"
MENU_PATH = "/MenuBar"
MENU_INTERFACE = "com.canonical.dbusmenu"
PROPERTIES = "org.freedesktop.DBus.Properties"
INTROSPECTABLE = "org.freedesktop.DBus.Introspectable"
PEER = "org.freedesktop.DBus.Peer"
CALL_TIMEOUT_SECONDS = 5.0
_DO_NOT_QUEUE = 4
_CONNECTION_ERRORS = (OSError, ConnectionError, ValueError, KeyError, StopIteration)

_ITEM_XML = f"""<node>
 <interface name="{ITEM_INTERFACE}">
  <method name="Activate"><arg type="i" direction="in"/><arg type="i" direction="in"/></method>
  <method name="SecondaryActivate"><arg type="i" direction="in"/><arg type="i" direction="in"/>
  </method>
  <method name="ContextMenu"><arg type="i" direction="in"/><arg type="i" direction="in"/></method>
  <method name="Scroll"><arg type="i" direction="in"/><arg type="s" direction="in"/></method>
  <signal name="NewIcon"/><signal name="NewToolTip"/><signal name="NewTitle"/>
  <signal name="NewStatus"><arg type="s"/></signal>
 </interface>
</node>"""
_MENU_XML = f"""<node>
 <interface name="{MENU_INTERFACE}">
  <method name="GetLayout"><arg type="i" direction="in"/><arg type="i" direction="in"/>
   <arg type="as" direction="in"/><arg type="u" direction="out"/>
   <arg type="(ia{{sv}}av)" direction="out"/></method>
  <method name="GetGroupProperties"><arg type="ai" direction="in"/>
   <arg type="as" direction="in"/><arg type="a(ia{{sv}})" direction="out"/></method>
  <method name="GetProperty"><arg type="i" direction="in"/><arg type="s" direction="in"/>
   <arg type="v" direction="out"/></method>
  <method name="Event"><arg type="i" direction="in"/><arg type="s" direction="in"/>
   <arg type="v" direction="in"/><arg type="u" direction="in"/></method>
  <method name="EventGroup"><arg type="a(isvu)" direction="in"/>
   <arg type="ai" direction="out"/></method>
  <method name="AboutToShow"><arg type="i" direction="in"/><arg type="b" direction="out"/>
  </method>
  <method name="AboutToShowGroup"><arg type="ai" direction="in"/><arg type="ai" direction="out"/>
   <arg type="ai" direction="out"/></method>
  <signal name="LayoutUpdated"><arg type="u"/><arg type="i"/></signal>
 </interface>
</node>"""


class TrayUnavailable(Exception):
    """The icon cannot be put up here (no session bus)."""


class StatusNotifierItem:
    name = "StatusNotifierItem"
    needs_main_thread = False

    def __init__(self, env: Mapping[str, str] | None = None) -> None:
        self._env = env
        self._view = view_of(TrayState())
        self._revision = 1
        self._connection: DBusConnection | None = None
        self._thread: threading.Thread | None = None
        self._on_command: Handler | None = None
        self._send_lock = threading.Lock()
        self._closing = False
        self._register_serials: set[int] = set()
        self.service = f"org.kde.StatusNotifierItem-{os.getpid()}-1"
        # Set when a watcher accepted the item: for `status` and the tests' logs.
        self.registered = threading.Event()

    def start(self, on_command: Handler) -> None:
        address = session_bus_address(self._env)
        if address is None:
            raise TrayUnavailable(
                Said(N_("no D-Bus session bus (DBUS_SESSION_BUS_ADDRESS is not set)"))
            )
        self._on_command = on_command
        self._closing = False
        self.registered.clear()
        try:
            connection = open_dbus_connection(bus=address)
        except _CONNECTION_ERRORS as error:
            raise TrayUnavailable(str(error)) from error
        try:
            # Before the serving thread starts, nothing else reads the connection: these two
            # calls may wait for their replies here.
            connection.send_and_get_reply(
                message_bus.RequestName(self.service, _DO_NOT_QUEUE), timeout=CALL_TIMEOUT_SECONDS
            )
            rule = MatchRule(
                type="signal",
                sender="org.freedesktop.DBus",
                interface="org.freedesktop.DBus",
                member="NameOwnerChanged",
                path="/org/freedesktop/DBus",
            )
            rule.add_arg_condition(0, WATCHER_NAME)
            connection.send_and_get_reply(message_bus.AddMatch(rule), timeout=CALL_TIMEOUT_SECONDS)
        except (DBusErrorResponse, *_CONNECTION_ERRORS) as error:
            connection.close()
            raise TrayUnavailable(str(error)) from error
        self._connection = connection
        self._thread = threading.Thread(target=self._serve, name="nudger-tray", daemon=True)
        self._thread.start()
        self._register()

    def show(self, view: TrayView) -> None:
        before, self._view = self._view, view
        if self._connection is None:
            return
        if view.mode != before.mode:
            for member in ("NewIcon", "NewToolTip"):
                self._send(new_signal(DBusAddress(ITEM_PATH, interface=ITEM_INTERFACE), member))
        elif view.tooltip != before.tooltip:
            self._send(new_signal(DBusAddress(ITEM_PATH, interface=ITEM_INTERFACE), "NewToolTip"))
        if view.entries != before.entries:
            self._revision += 1
            self._send(
                new_signal(
                    DBusAddress(MENU_PATH, interface=MENU_INTERFACE),
                    "LayoutUpdated",
                    "ui",
                    (self._revision, 0),
                )
            )

    def run_main_loop(self) -> None:
        """Not needed: the icon serves the bus on a thread of its own."""

    def stop_main_loop(self) -> None:
        """Not needed: see run_main_loop."""

    def close(self) -> None:
        connection, self._connection = self._connection, None
        if connection is None:
            return
        self._closing = True
        # Wakes the serving thread from its blocking read: it then sees _closing and ends.
        with contextlib.suppress(OSError):
            connection.sock.shutdown(socket.SHUT_RDWR)
        if self._thread is not None:
            self._thread.join(timeout=CALL_TIMEOUT_SECONDS)
        connection.close()

    # -- the serving thread ------------------------------------------------------------------

    def _serve(self) -> None:
        connection = self._connection
        assert connection is not None
        while True:
            try:
                message = connection.receive()  # blocks until a message comes: no polling
            except _CONNECTION_ERRORS as error:
                if not self._closing:
                    log.warning(N_("the status icon lost the session bus (%s); it is gone"), error)
                return
            try:
                self._handle(message)
            except Exception:  # one bad call must not take the icon down
                log.exception(N_("the status icon could not answer a call"))

    def _handle(self, message: Message) -> None:
        kind = message.header.message_type
        fields = message.header.fields
        if kind == MessageType.signal:
            if fields.get(HeaderFields.member) == "NameOwnerChanged":
                name, _old, new = message.body
                if name == WATCHER_NAME and new:
                    log.info(N_("a status icon host appeared; registering the icon with it"))
                    self._register()
            return
        if kind in {MessageType.method_return, MessageType.error}:
            serial = fields.get(HeaderFields.reply_serial)
            if serial in self._register_serials:
                self._register_serials.discard(serial)
                if kind == MessageType.method_return:
                    self.registered.set()
                    log.info(N_("status icon registered with the panel"))
                else:
                    log.info(
                        N_(
                            "no status icon host on the session bus yet (%s); "
                            "the icon appears when one starts"
                        ),
                        fields.get(HeaderFields.error_name),
                    )
            return
        if kind == MessageType.method_call:
            self._answer(message)

    def _answer(self, call: Message) -> None:
        fields = call.header.fields
        member = fields.get(HeaderFields.member, "")
        interface = fields.get(HeaderFields.interface)
        path = fields.get(HeaderFields.path, "")
        if interface == PEER and member == "Ping":
            self._send(new_method_return(call))
        elif interface == INTROSPECTABLE and member == "Introspect":
            xml = {ITEM_PATH: _ITEM_XML, MENU_PATH: _MENU_XML}.get(path, "<node/>")
            self._send(new_method_return(call, "s", (xml,)))
        elif interface == PROPERTIES:
            self._answer_properties(call, path, member)
        elif path == ITEM_PATH and member in {
            "Activate",
            "SecondaryActivate",
            "ContextMenu",
            "Scroll",
        }:
            self._send(new_method_return(call))  # the menu is the whole of the icon
        elif path == MENU_PATH:
            self._answer_menu(call, member)
        else:
            self._refuse(call, "org.freedesktop.DBus.Error.UnknownMethod", f"no {member} here")

    def _answer_properties(self, call: Message, path: str, member: str) -> None:
        table = self._item_properties() if path == ITEM_PATH else _menu_properties()
        if member == "GetAll":
            self._send(new_method_return(call, "a{sv}", (table,)))
        elif member == "Get":
            _interface, name = call.body
            if name in table:
                self._send(new_method_return(call, "v", (table[name],)))
            else:
                self._refuse(call, "org.freedesktop.DBus.Error.UnknownProperty", name)
        else:
            self._refuse(call, "org.freedesktop.DBus.Error.PropertyReadOnly", "read only")

    def _answer_menu(self, call: Message, member: str) -> None:
        view = self._view
        if member in {"Event", "EventGroup"}:
            self._answer_event(call, member, view)
        elif member == "GetLayout":
            parent, _depth, names = call.body
            layout = _layout(view, parent, list(names))
            if layout is None:
                self._refuse(call, "org.freedesktop.DBus.Error.InvalidArgs", "no such menu item")
            else:
                self._send(new_method_return(call, "u(ia{sv}av)", (self._revision, layout)))
        elif member == "GetGroupProperties":
            ids, names = call.body
            items = _items(view)
            chosen = [(i, _props(e, list(names))) for i, e in items.items() if not ids or i in ids]
            self._send(new_method_return(call, "a(ia{sv})", (chosen,)))
        elif member == "GetProperty":
            item_id, name = call.body
            entry = _items(view).get(item_id)
            props = _props(entry, [name]) if entry else {}
            if name in props:
                self._send(new_method_return(call, "v", (props[name],)))
            else:
                self._refuse(call, "org.freedesktop.DBus.Error.InvalidArgs", "no such property")
        elif member == "AboutToShow":
            self._send(new_method_return(call, "b", (False,)))
        elif member == "AboutToShowGroup":
            self._send(new_method_return(call, "aiai", ([], [])))
        else:
            self._refuse(call, "org.freedesktop.DBus.Error.UnknownMethod", f"no {member} here")

    def _answer_event(self, call: Message, member: str, view: TrayView) -> None:
        # Answered first: the panel's call must not wait on what the click starts.
        if member == "Event":
            item_id, event, _data, _time = call.body
            self._send(new_method_return(call))
            self._clicked(item_id, event)
        else:
            (events,) = call.body
            unknown = [i for i, _e, _d, _t in events if i not in _items(view) and i != 0]
            self._send(new_method_return(call, "ai", (unknown,)))
            for item_id, event, _data, _time in events:
                self._clicked(item_id, event)

    def _clicked(self, item_id: int, event: str) -> None:
        if event != "clicked" or self._on_command is None:
            return
        command = command_of(item_id)
        if command is not None:
            self._on_command(command)

    def _item_properties(self) -> dict[str, tuple[str, Any]]:
        view = self._view
        folder = icons_folder()
        return {
            "Category": ("s", "ApplicationStatus"),
            "Id": ("s", "nudger"),
            "Title": ("s", view.title),
            "Status": ("s", "Active"),
            "WindowId": ("i", 0),
            "IconThemePath": ("s", str(folder) if folder else ""),
            "IconName": ("s", icon_name(view.mode)),
            "IconPixmap": ("a(iiay)", list(pixmaps(view.mode))),
            "OverlayIconName": ("s", ""),
            "OverlayIconPixmap": ("a(iiay)", []),
            "AttentionIconName": ("s", ""),
            "AttentionIconPixmap": ("a(iiay)", []),
            "AttentionMovieName": ("s", ""),
            "ToolTip": ("(sa(iiay)ss)", (icon_name(view.mode), [], view.tooltip, "")),
            "ItemIsMenu": ("b", True),
            "Menu": ("o", MENU_PATH),
        }

    # -- sending -----------------------------------------------------------------------------

    def _register(self) -> None:
        """Ask the watcher to show the item. Sent, not waited for: the serving thread reads the
        answer (or the error, when there is no watcher) with everything else."""
        connection = self._connection
        if connection is None:
            return
        call = new_method_call(WATCHER, "RegisterStatusNotifierItem", "s", (self.service,))
        with self._send_lock:
            serial = next(connection.outgoing_serial)
            self._register_serials.add(serial)
            try:
                connection.send(call, serial=serial)
            except _CONNECTION_ERRORS as error:
                log.warning(N_("cannot register the status icon: %s"), error)

    def _send(self, message: Message) -> None:
        connection = self._connection
        if connection is None:
            return
        with self._send_lock:
            try:
                connection.send(message)
            except _CONNECTION_ERRORS as error:
                log.debug("the status icon could not send to the session bus: %s", error)

    def _refuse(self, call: Message, name: str, text: str) -> None:
        self._send(new_error(call, name, "s", (text,)))


def _items(view: TrayView) -> dict[int, Entry]:
    return {id_of(entry): entry for entry in view.entries}


def _props(entry: Entry, names: list[str]) -> dict[str, tuple[str, Any]]:
    if entry.separator:
        props: dict[str, tuple[str, Any]] = {"type": ("s", "separator")}
    else:
        # dbusmenu reads one underscore as a keyboard mnemonic; two show one.
        props = {"label": ("s", entry.label.replace("_", "__"))}
        if entry.command is None:
            props["enabled"] = ("b", False)
    return {k: v for k, v in props.items() if not names or k in names}


def _layout(view: TrayView, parent: int, names: list[str]) -> tuple[int, Any, Any] | None:
    items = _items(view)
    if parent == 0:
        children: list[tuple[str, Any]] = [
            ("(ia{sv}av)", (item_id, _props(entry, names), [])) for item_id, entry in items.items()
        ]
        root = {"children-display": ("s", "submenu")}
        return 0, {k: v for k, v in root.items() if not names or k in names}, children
    entry = items.get(parent)
    return None if entry is None else (parent, _props(entry, names), [])


def _menu_properties() -> dict[str, tuple[str, Any]]:
    return {
        "Version": ("u", 3),
        "TextDirection": ("s", "ltr"),
        "Status": ("s", "normal"),
        "IconThemePath": ("as", []),
    }


def host_present(env: Mapping[str, str] | None = None) -> bool | None:
    """Whether a status icon host (a StatusNotifierWatcher) is on the session bus; None when
    there is no session bus to ask. For `nudger doctor`."""
    address = session_bus_address(env)
    if address is None:
        return None
    try:
        with open_dbus_connection(bus=address) as connection:
            reply = connection.send_and_get_reply(
                message_bus.NameHasOwner(WATCHER_NAME), timeout=CALL_TIMEOUT_SECONDS
            )
            (present,) = unwrap_msg(reply)
    except (DBusErrorResponse, *_CONNECTION_ERRORS):
        return None
    return bool(present)
