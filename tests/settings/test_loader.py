"""Settings: defaults < user TOML < environment, and errors that name the file, field and reason."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from nudger.core.translate import ENGLISH
from nudger.errors import ConfigError
from nudger.settings.loader import load
from nudger.shell.i18n import translator_for


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_defaults_alone(tmp_path: Path) -> None:
    loaded = load(tmp_path / "missing.toml", env={})
    settings = loaded.settings
    assert settings.watch.poll_seconds == 1.0
    assert settings.watch.idle_seconds == 120
    assert settings.summary.day_starts_at == dt.time(4, 0)
    assert settings.privacy.store_titles is False
    assert "chromium" in settings.watch.browsers
    assert len(loaded.files_read) == 1


def test_user_file_overrides_defaults_and_keeps_the_rest(tmp_path: Path) -> None:
    path = write(tmp_path, "[watch]\npoll_seconds = 2.5\n")
    settings = load(path, env={}).settings
    assert settings.watch.poll_seconds == 2.5
    assert settings.watch.idle_seconds == 120  # from the built-in file
    assert settings.watch.browsers  # lists in untouched sections survive the merge


def test_environment_overrides_the_user_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write(tmp_path, "[watch]\npoll_seconds = 2.5\n")
    monkeypatch.setenv("NUDGER_WATCH__POLL_SECONDS", "4")
    loaded = load(path)
    assert loaded.settings.watch.poll_seconds == 4
    assert "NUDGER_WATCH__POLL_SECONDS" in loaded.env_keys


def test_the_spine_contract_reads_as_documented(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """
[watch]
poll_seconds = 1.0
idle_seconds = 120
[[sites]]
name = "Mastodon"
match = ["mastodon.social", "Mastodon"]
apps = []
[[blocklist]]
name = "Alex"
match = ["Alex Doe", "@alexdoe", "instagram.com/alexdoe"]
apps = []
""",
    )
    settings = load(path, env={}).settings
    assert [site.name for site in settings.sites] == ["Mastodon"]
    assert settings.blocklist[0].match == ("Alex Doe", "@alexdoe", "instagram.com/alexdoe")


@pytest.mark.parametrize(
    ("text", "field", "reason"),
    [
        ("[watch\npoll_seconds = 1\n", "line 1", "not valid TOML"),
        ("[watch]\npoll_seconds = -1\n", "watch.poll_seconds", "greater than or equal to 0.2"),
        ("[watch]\nidle_seconds = 'soon'\n", "watch.idle_seconds", "valid number"),
        ("[watch]\npoll_secs = 1\n", "watch.poll_secs", "not a setting"),
        (
            '[[blocklist]]\nname = "Alex"\nmatch = ["re:(unclosed"]\n',
            'blocklist[0] ("Alex").match',
            "RE2",
        ),
        (
            '[[blocklist]]\nname = "Alex"\nmatch = ["re:(?<=x)y"]\n',
            'blocklist[0] ("Alex").match',
            "look-around",
        ),
        ('[[blocklist]]\nname = "Alex"\nmatch = ["  "]\n', 'blocklist[0] ("Alex").match', "empty"),
        (
            '[[blocklist]]\nname = "Alex"\nmatch = ["re:.*"]\n',
            'blocklist[0] ("Alex").match',
            "every window",
        ),
        ('[[blocklist]]\nname = "Alex"\n', 'blocklist[0] ("Alex")', "can never match"),
        ('[[blocklist]]\nmatch = ["x y z"]\n', "blocklist[0].name", "required"),
        (
            '[[blocklist]]\nname = "Alex"\nmatch = ["a b"]\n[[blocklist]]\nname = "alex"\nmatch = ["c d"]\n',
            "blocklist",
            "used twice",
        ),
        ('[summary]\ntimezone = "Mars/Olympus"\n', "summary.timezone", "unknown time zone"),
        ('[summary]\nday_starts_at = "25:00"\n', "summary.day_starts_at", "time"),
        ('[nudges]\nquiet_hours = "late"\n', "nudges.quiet_hours", "HH:MM-HH:MM"),
    ],
)
def test_errors_name_the_file_the_field_and_the_reason(
    tmp_path: Path, text: str, field: str, reason: str
) -> None:
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as caught:
        load(path, env={})
    error = caught.value
    assert error.source == str(path)
    assert str(error.field).startswith(field), error.field
    assert reason.lower() in str(error.reason).lower(), error.reason
    assert error.exit_code == 2
    assert "\n" not in str(error)


def test_one_line_names_the_first_problem_and_counts_the_others(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        '[watch]\npoll_seconds = "fast"\nidle_seconds = -1\n'
        '[[blocklist]]\nname = "Sam"\nmatch = ["re:(sam"]\n',
    )
    with pytest.raises(ConfigError) as caught:
        load(path, env={})
    assert caught.value.field == "watch.poll_seconds"
    assert str(caught.value.reason).endswith("(and 2 more problems after this one)")
    assert "\n" not in str(caught.value)


def test_an_error_from_the_environment_names_the_variable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NUDGER_WATCH__POLL_SECONDS", "-3")
    with pytest.raises(ConfigError) as caught:
        load(tmp_path / "missing.toml")
    assert str(caught.value.source) == "environment variable NUDGER_WATCH__POLL_SECONDS"


# One error, three readers: the loader says what is wrong as a value, and each reader's
# translator puts it into words (issue 27: no language of the process's own).
@pytest.mark.parametrize(
    ("text", "english", "german"),
    [
        (
            "[watch]\npoll_seconds = 0\nidle_seconds = -1\n",
            "watch.poll_seconds: Input should be greater than or equal to 0.2 (and 1 more "
            "problem after this one)",
            "watch.poll_seconds: sollte mindestens 0,2 sein (und 1 weiteres Problem danach)",
        ),
        (
            '[[blocklist]]\nname = "Alex"\nmatch = ["a b"]\n[[blocklist]]\nname = "alex"\n'
            'match = ["c d"]\n',
            'blocklist: the name "alex" is used twice; each entry needs its own name',
            "blocklist: der Name „alex“ kommt zweimal vor; jeder Eintrag braucht einen eigenen "
            "Namen",
        ),
        (
            '[summary]\ntimezone = "Mars/Olympus"\n',
            'summary.timezone: unknown time zone "Mars/Olympus" (use a name like "Europe/Berlin")',
            "summary.timezone: unbekannte Zeitzone „Mars/Olympus“ (nimm einen Namen wie "
            "„Europe/Berlin“)",
        ),
        (
            "[watch\n",
            "line 1, column 7: this is not valid TOML:",
            "Zeile 1, Spalte 7: das ist kein gültiges TOML:",
        ),
    ],
    ids=["a bound", "a validator", "a time zone", "the file"],
)
def test_an_error_is_said_in_the_language_of_whoever_shows_it(
    tmp_path: Path, text: str, english: str, german: str
) -> None:
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as caught:
        load(path, env={})
    error = caught.value
    assert error.in_language(translator_for("de")).startswith(f"{path}: {german}")
    assert error.in_language(ENGLISH).startswith(f"{path}: {english}")
    assert str(error).startswith(f"{path}: {english}")  # the log's English


def test_the_environment_is_named_in_the_readers_language(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as caught:
        load(tmp_path / "missing.toml", env={"NUDGER_WATCH": "not json"})
    assert caught.value.in_language(translator_for("es")).startswith("el entorno: NUDGER_*: ")
    assert str(caught.value).startswith("the environment: NUDGER_*: ")


def test_quiet_hours_across_midnight(tmp_path: Path) -> None:
    path = write(tmp_path, '[nudges]\nquiet_hours = "23:00-07:00"\n')
    quiet = load(path, env={}).settings.nudges.quiet_hours
    assert quiet is not None
    assert quiet.span().contains(dt.time(23, 30)) and quiet.span().contains(dt.time(6, 59))
    assert not quiet.span().contains(dt.time(7, 0)) and not quiet.span().contains(dt.time(12, 0))


def test_evening_summary_can_be_switched_off(tmp_path: Path) -> None:
    path = write(tmp_path, '[summary]\ntime = ""\n')
    assert load(path, env={}).settings.summary.time is None


def test_the_environment_is_read_from_the_mapping_given_not_os_environ(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """settings._EnvSource overrides pydantic-settings' private _load_env_vars so that a load
    can be given its own environment. Should pydantic-settings stop calling it, this fails
    (pyproject.toml also keeps pydantic-settings below 3)."""
    monkeypatch.setenv("NUDGER_WATCH__POLL_SECONDS", "7")
    given = load(tmp_path / "none.toml", env={"NUDGER_WATCH__POLL_SECONDS": "3"})
    assert given.settings.watch.poll_seconds == 3
    assert load(tmp_path / "none.toml", env={}).settings.watch.poll_seconds == 1
    assert load(tmp_path / "none.toml").settings.watch.poll_seconds == 7
