"""Desktop notifications over D-Bus (org.freedesktop.Notifications), with jeepney.

Unlike plyer's Linux path (notify-send, which ignores the expiry and reports nothing), talking to
the server directly gives an id back (so we know it was delivered), expiry, the two action
buttons, and the ActionInvoked / NotificationClosed signals that say what the user did.
"""

from __future__ import annotations

import html
import logging
from collections import deque
from collections.abc import Mapping

from jeepney import DBusAddress, MatchRule, Message, new_method_call
from jeepney.bus_messages import message_bus
from jeepney.io.blocking import DBusConnection, open_dbus_connection
from jeepney.low_level import HeaderFields
from jeepney.wrappers import DBusErrorResponse, unwrap_msg

from nudger.core.translate import N_, Said
from nudger.notify.base import ACTIONS, Delivery, Feedback, Notification, Outcome, fitted
from nudger.session_bus import session_bus_address

log = logging.getLogger(__name__)

APP_NAME = "nudger"
CALL_TIMEOUT_SECONDS = 5.0
NOTIFICATIONS = DBusAddress(
    "/org/freedesktop/Notifications",
    bus_name="org.freedesktop.Notifications",
    interface="org.freedesktop.Notifications",
)
# NotificationClosed reasons, from the Desktop Notifications Specification.
_CLOSE_REASONS: Mapping[int, Outcome] = {1: "expired", 2: "dismissed", 3: "closed"}
_CONNECTION_ERRORS = (OSError, ConnectionError, TimeoutError, KeyError, ValueError, StopIteration)


class DbusNotifier:
    name = "dbus"

    def __init__(self, env: Mapping[str, str] | None = None) -> None:
        self._env = env
        self._connection: DBusConnection | None = None
        self._signals: deque[Message] = deque()
        self._capabilities: frozenset[str] = frozenset()

    def send(self, notification: Notification) -> Delivery:
        try:
            connection = self._connect()
            use_actions = notification.with_actions and "actions" in self._capabilities
            # The hint only on a nudge shown without its buttons (never on the evening summary).
            title, body = fitted(notification, with_hint=not use_actions)
            if "body-markup" in self._capabilities:
                body = html.escape(body, quote=False)
            actions = (
                [part for key, label in ACTIONS for part in (key, notification.words._(label))]
                if use_actions
                else []
            )
            call = new_method_call(
                NOTIFICATIONS,
                "Notify",
                "susssasa{sv}i",
                (
                    APP_NAME,
                    0,
                    "",
                    title,
                    body,
                    actions,
                    {"urgency": ("y", 1), "category": ("s", "presence")},
                    int(notification.expire_seconds * 1000),
                ),
            )
            reply = connection.send_and_get_reply(call, timeout=CALL_TIMEOUT_SECONDS)
            (notification_id,) = unwrap_msg(reply)
        except DBusErrorResponse as error:
            self._drop()
            if error.name == "org.freedesktop.DBus.Error.ServiceUnknown":
                return Delivery(
                    False, self.name, problem=Said(N_("no notification server is running"))
                )
            return Delivery(
                False,
                self.name,
                problem=Said(N_("the notification server said no: {error}"), {"error": error}),
            )
        except _CONNECTION_ERRORS as error:
            self._drop()
            return Delivery(
                False,
                self.name,
                problem=Said(N_("no notification server reachable ({error})"), {"error": error}),
            )
        return Delivery(True, self.name, int(notification_id))

    def feedback(self) -> list[Feedback]:
        if self._connection is None:
            return []
        try:
            while True:
                self._connection.recv_messages(timeout=0)
        except TimeoutError:
            pass  # nothing more waiting: the normal way out
        except _CONNECTION_ERRORS:
            self._drop()
        results: list[Feedback] = []
        while self._signals:
            signal = self._signals.popleft()
            member = signal.header.fields.get(HeaderFields.member)
            if member == "ActionInvoked":
                notification_id, key = signal.body
                if key in {"snooze", "away"}:
                    results.append(Feedback(int(notification_id), key))
            elif member == "NotificationClosed":
                notification_id, reason = signal.body
                results.append(
                    Feedback(int(notification_id), _CLOSE_REASONS.get(int(reason), "closed"))
                )
        return results

    def server_name(self) -> str | None:
        """The running server's name and version, for `nudger doctor`."""
        try:
            reply = self._connect().send_and_get_reply(
                new_method_call(NOTIFICATIONS, "GetServerInformation"), timeout=CALL_TIMEOUT_SECONDS
            )
            name, vendor, version, _spec = unwrap_msg(reply)
        except (DBusErrorResponse, *_CONNECTION_ERRORS):
            return None
        return f"{name} {version} ({vendor})"

    def close(self) -> None:
        self._drop()

    def _connect(self) -> DBusConnection:
        if self._connection is not None:
            return self._connection
        address = session_bus_address(self._env)
        if address is None:
            raise ConnectionError(
                Said(N_("no D-Bus session bus (DBUS_SESSION_BUS_ADDRESS is not set)"))
            )
        connection = open_dbus_connection(bus=address)
        try:
            rule = MatchRule(
                type="signal",
                interface=NOTIFICATIONS.interface,
                path=NOTIFICATIONS.object_path,
            )
            connection.send_and_get_reply(message_bus.AddMatch(rule), timeout=CALL_TIMEOUT_SECONDS)
            connection.filter(rule, queue=self._signals, bufsize=10_000)
            reply = connection.send_and_get_reply(
                new_method_call(NOTIFICATIONS, "GetCapabilities"), timeout=CALL_TIMEOUT_SECONDS
            )
            self._capabilities = frozenset(unwrap_msg(reply)[0])
        except BaseException:
            connection.close()
            raise
        self._connection = connection
        return connection

    def _drop(self) -> None:
        if self._connection is not None:
            try:
                self._connection.close()
            except OSError:
                log.debug("closing a broken D-Bus connection failed", exc_info=True)
        self._connection = None
