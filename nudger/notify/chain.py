"""Several notifiers, tried in order until one shows the notification (Windows: toasts, then
plyer's balloon)."""

from __future__ import annotations

from collections.abc import Sequence

from nudger.notify.base import Delivery, Feedback, Notification, Notifier


class FirstThatWorks:
    def __init__(self, notifiers: Sequence[Notifier]) -> None:
        self.notifiers = tuple(notifiers)
        self.name = " or ".join(n.name for n in self.notifiers)

    def send(self, notification: Notification) -> Delivery:
        problems = []
        for notifier in self.notifiers:
            delivery = notifier.send(notification)
            if delivery.delivered:
                return delivery
            problems.append(f"{notifier.name}: {delivery.problem}")
        return Delivery(False, self.name, problem="; ".join(problems))

    def feedback(self) -> list[Feedback]:
        return [item for notifier in self.notifiers for item in notifier.feedback()]

    def close(self) -> None:
        for notifier in self.notifiers:
            notifier.close()
