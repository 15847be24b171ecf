"""The daemon's faults reach `nudger status` as what was said (the English and its fillings),
and are put into words there, in the language of whoever reads them (issue 26)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import os
import time
from pathlib import Path

import pytest

from nudger.cli import status_cmd
from nudger.core.translate import ENGLISH, N_, Said
from nudger.errors import ConfigError, said_of
from nudger.shell import i18n
from nudger.shell.faults import FaultLog
from nudger.shell.instance import DaemonStatus, InstanceLock, read_status
from nudger.store import StoreError
from nudger.store.salvage import Salvaged

LOCKED = StoreError(
    Said(N_("{path} stayed locked by another program"), {"path": Path("/data/nudger.db")})
)


def faults_of_a_day() -> list[Said]:
    """What the recorder and the coach note when the database is locked and notifications fail."""
    faults = FaultLog(logging.getLogger("test.status_notes"))
    faults.fault(
        "store",
        Said(
            N_(
                "cannot write to the database {path} ({error}); "
                "keeping visits in memory and trying again"
            ),
            {"path": Path("/data/nudger.db"), "error": LOCKED},
        ),
    )
    faults.fault("notify", Said(N_("cannot record a nudge: {error}"), {"error": LOCKED}))
    return faults.messages()


def written_and_read(tmp_path: Path, **fields: object) -> DaemonStatus:
    lock = InstanceLock(tmp_path)
    lock.acquire()
    try:
        now = time.time()
        base: dict[str, object] = {
            "pid": os.getpid(),
            "started_at": now,
            "backend": "x11",
            "sensor_connected": False,
            "last_sample_at": None,
            "updated_at": now,
        }
        lock.write_status(DaemonStatus(**{**base, **fields}))  # type: ignore[arg-type]
        status = read_status(tmp_path)
    finally:
        lock.release()
    assert status is not None
    return status


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (
            "de",
            (
                "in die Datenbank /data/nudger.db lässt sich nicht schreiben "
                "(/data/nudger.db blieb von einem anderen Programm gesperrt)",
                "ein Hinweis lässt sich nicht speichern: /data/nudger.db",
            ),
        ),
        (
            "es",
            (
                "no se puede escribir en la base de datos /data/nudger.db (/data/nudger.db",
                "no se puede registrar un aviso: /data/nudger.db",
            ),
        ),
        (
            "en",
            (
                "cannot write to the database /data/nudger.db (/data/nudger.db stayed locked "
                "by another program); keeping visits in memory and trying again",
                "cannot record a nudge: /data/nudger.db stayed locked by another program",
            ),
        ),
    ],
)
def test_a_fault_is_shown_in_the_readers_language(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], language: str, expected: tuple[str, ...]
) -> None:
    status = written_and_read(tmp_path, notes=tuple(faults_of_a_day()))
    status_cmd._print_daemon(i18n.translator_for(language), status, True, dt.UTC, time.time())
    shown = capsys.readouterr().out
    for words in expected:
        assert words in shown, shown


def test_a_refused_config_is_shown_in_the_readers_language(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    problem = ConfigError("/home/a/.config/nudger/config.toml", "nudges.night_cap", "-1")
    status = written_and_read(tmp_path, config_problem=said_of(problem))
    assert isinstance(status.config_problem, Said)
    assert str(status.config_problem) == "/home/a/.config/nudger/config.toml: nudges.night_cap: -1"
    status_cmd._print_daemon(i18n.translator_for("es"), status, True, dt.UTC, time.time())
    shown = capsys.readouterr().out
    assert "Tus ajustes tienen un problema" in shown
    assert "config.toml: nudges.night_cap: -1" in shown


def test_a_note_of_an_older_nudger_is_shown_as_it_was_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Plain text (a daemon from before this change still running), and a stored Said whose
    fillings do not fit it: both shown, neither raises."""
    status = written_and_read(tmp_path, notes=("cannot see the desktop: {no display}",))
    broken = Said(N_("cannot record a nudge: {error}"), {})
    status = dataclasses.replace(status, notes=(*status.notes, broken))
    status_cmd._print_daemon(ENGLISH, status, True, dt.UTC, time.time())
    shown = capsys.readouterr().out
    assert "cannot see the desktop: {no display}" in shown
    assert "cannot record a nudge: {error}" in shown


def test_what_was_saved_from_a_damaged_database_is_shown_in_the_readers_language(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    saved = Salvaged({"visits": 3, "nudges": 1}, 2).said()
    status = written_and_read(
        tmp_path, database_moved_aside="/data/old.db", database_salvaged=saved
    )
    status_cmd._print_daemon(i18n.translator_for("de"), status, True, dt.UTC, time.time())
    shown = capsys.readouterr().out
    assert (
        "Aus der alten Datei hat nudger übernommen: visits: 3, nudges: 1; "
        "2 beschädigte Zeilen blieben zurück." in shown
    ), shown
