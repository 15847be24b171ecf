"""Several notifiers, tried in order until one shows the notification (Windows: toasts, then
plyer's balloon)."""

from __future__ import annotations

from collections.abc import Sequence

from nudger.core.translate import Said
from nudger.notify.base import Delivery, Feedback, Notification, Notifier


class FirstThatWorks:
    def __init__(self, notifiers: Sequence[Notifier]) -> None:
        self.notifiers = tuple(notifiers)
        self.name = " or ".join(n.name for n in self.notifiers)

    def send(self, notification: Notification) -> Delivery:
        problems: dict[str, object] = {}
        for notifier in self.notifiers:
            delivery = notifier.send(notification)
            if delivery.delivered:
                return delivery
            problems[notifier.name] = delivery.problem
        # Each problem in the words it was said in; the joining is no sentence to translate.
        joined = "; ".join(f"{name}: {{p{index}}}" for index, name in enumerate(problems))
        values = {f"p{index}": problem for index, problem in enumerate(problems.values())}
        return Delivery(False, self.name, problem=Said(joined, values))

    def feedback(self) -> list[Feedback]:
        return [item for notifier in self.notifiers for item in notifier.feedback()]

    def close(self) -> None:
        for notifier in self.notifiers:
            notifier.close()
