"""Putting a report together: the history reader, the aliases, and the HTML file."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from nudger.core.aliases import blocklist_aliases
from nudger.core.days import LocalDays
from nudger.core.summary import Rename, keep_name
from nudger.core.translate import ENGLISH, Translator
from nudger.errors import NudgerError, Saying
from nudger.paths import write_private_atomic
from nudger.settings.values import Settings, days_of
from nudger.shell.history import History, HistorySource
from nudger.store import Store

REPORT_DAYS = 30


@dataclass(frozen=True)
class Reporting:
    """The history, by name for the terminal (the person typed those names), and for the HTML
    report by alias unless privacy.alias_blocklist = false: a report is a file, and files
    get opened on shared screens and sent on."""

    history: History
    shared_history: History
    days: LocalDays
    tz: dt.tzinfo
    # The language the report and its errors speak.
    translator: Translator = ENGLISH

    @classmethod
    def open(
        cls,
        settings: Settings,
        store: Store,
        translator: Translator = ENGLISH,
        source: HistorySource | None = None,
    ) -> Reporting:
        """`source`: where the days are read from, when not the store alone (every device's
        file, shell.devices)."""
        days = days_of(settings)
        read = store if source is None else source
        rename: Rename = keep_name
        if settings.privacy.alias_blocklist:
            rename = blocklist_aliases(
                [entry.name for entry in settings.blocklist], store.target_names("blocklist")
            )
        return cls(History(read, days), History(read, days, rename), days, days.tz, translator)

    def html(self, day: dt.date) -> str:
        # The charts library is imported only for the HTML report.
        from nudger.report import html  # noqa: PLC0415

        history = self.shared_history
        month = history.range(day - dt.timedelta(days=REPORT_DAYS - 1), day)
        return html.render(self.translator, history.day(day), month, dt.datetime.now(self.tz))

    def write_html(self, day: dt.date, path: Path) -> Path:
        page = self.html(day)
        try:
            write_private_atomic(path, page)  # 0600: the report is as private as the data
        except OSError as error:
            # A link of another user's in the way says so in the person's language.
            reason = (
                error.in_language(self.translator)
                if isinstance(error, Saying)
                else error.strerror or str(error)
            )
            raise NudgerError(
                self.translator._("cannot write the report to {path}: {reason}").format(
                    path=path, reason=reason
                )
            ) from None
        return path
