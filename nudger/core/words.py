"""Small wording helpers shared by every output: durations, clock times, kind sentences.

Every sentence is whole inside one `_()`, with named placeholders, so that each language can
order its words its own way; dates come from the language's own formats (translate.py).
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from nudger.core.feelings import Feeling, Tendency
from nudger.core.guard import GuardNote
from nudger.core.summary import HARD_DAY_VISITS, DayReport, NudgeCounts, Streak
from nudger.core.translate import N_, Translator

# Hard days among the last 7 from which the evening suggests talking to someone.
REPEATED_HARD_DAYS = 3


def whole_seconds(seconds: float) -> int:
    """Seconds as every output shows them (text, JSON, report): rounded down, so that a time and
    the longest visit within it never disagree by a second between two views."""
    return int(seconds)


def duration(t: Translator, seconds: float) -> str:
    """12 s, 24 min, 1 h 05 min. Whole units, rounded down; glances still show."""
    whole = whole_seconds(seconds)
    if whole < 60:
        return t._("{seconds} s").format(seconds=whole)
    minutes = whole // 60
    if minutes < 60:
        return t._("{minutes} min").format(minutes=minutes)
    return t._("{hours} h {minutes} min").format(hours=minutes // 60, minutes=f"{minutes % 60:02d}")


def clock(at: float | None, tz: dt.tzinfo) -> str:
    return "" if at is None else dt.datetime.fromtimestamp(at, tz).strftime("%H:%M")


# What a change is said against: the same, fewer minutes, more minutes.
_CHANGES = {
    "yesterday": (
        N_("about the same as yesterday"),
        N_("{minutes} min less than yesterday"),
        N_("{minutes} min more than yesterday"),
    ),
    "average": (
        N_("about the same as your 7-day average"),
        N_("{minutes} min less than your 7-day average"),
        N_("{minutes} min more than your 7-day average"),
    ),
}


def change(
    t: Translator, now: float, before: float | None, against: Literal["yesterday", "average"]
) -> str | None:
    """ "12 min less than yesterday", "3 min more than your 7-day average", ..., or None."""
    if before is None:
        return None
    delta = round(now / 60) - round(before / 60)
    same, less, more = _CHANGES[against]
    if delta == 0:
        return t._(same)
    return t._(less if delta < 0 else more).format(minutes=abs(delta))


def long_date(t: Translator, day: dt.date) -> str:
    """ "27 November 2026", "27. November 2026", "27 de noviembre de 2026"."""
    return t.dates.long(day)


def untracked_sentence(
    t: Translator, day: dt.date, today: dt.date, since: dt.date | None
) -> str | None:
    """What to say of a day nudger knows nothing about, or None for a day it watched."""
    if since is None:
        return t._("Nothing recorded yet.")
    if day > today:
        return t._("This day has not come yet.")
    if day < since:
        return t._("nudger was not watching yet that day; it began on {date}.").format(
            date=long_date(t, since)
        )
    return None


def streak_sentence(t: Translator, report: DayReport, today: dt.date | None = None) -> str:
    """How the day went for the blocklist. A past day is told in the past tense; a day before
    nudger was watching (or one still to come) says so instead of counting as a clear day.

    Forgiving on purpose: after a visit it counts the clear days of the last 30 instead of
    setting a reset next to the best run, and it never writes a hard day off."""
    streak = report.streak
    day = report.summary.date
    today = today or day
    unknown = untracked_sentence(t, day, today, streak.tracked_since)
    if unknown is not None:
        return unknown
    visits = report.summary.blocklist_visits
    clear = clear_days_sentence(t, streak)
    if day < today:
        if streak.current > 0:
            return t._("No visits to the blocklist that day: day {days} in a row.").format(
                days=streak.current
            )
        return t.ngettext(
            "Blocklist pages came up once that day.",
            "Blocklist pages came up {count} times that day.",
            visits,
        ).format(count=visits)
    if streak.current > 0:
        return (
            t._("No visits to the blocklist today: day {days}.").format(days=streak.current) + clear
        )
    came_up = t.ngettext(
        "Blocklist pages came up once today.",
        "Blocklist pages came up {count} times today.",
        visits,
    )
    return came_up.format(count=visits) + clear


def clear_days_sentence(t: Translator, streak: Streak) -> str:
    """ " Clear days in the last 30: 21." (with its leading space), or "" too early to say."""
    if streak.watched_last_30 < 2:
        return ""
    span = min(30, streak.watched_last_30)
    return " " + t._("Clear days in the last {days}: {clear}.").format(
        days=span, clear=streak.clear_last_30
    )


def help_sentence(t: Translator, report: DayReport) -> str | None:
    """One quiet pointer to `nudger help-now` after a hard day, or None."""
    if report.summary.blocklist_visits < HARD_DAY_VISITS:
        return None
    return t._("If you'd like someone to talk to, `nudger help-now` lists people who listen.")


def pause_sentence(t: Translator, nudges: NudgeCounts) -> str:
    """The browser's pauses, told as choices the person made, never as a score."""
    held = t.ngettext(
        "In the browser, a page was held back for a breath.",
        "In the browser, pages were held back for a breath {count} times.",
        nudges.pauses,
    ).format(count=nudges.pauses)
    if nudges.stepped_away == 0:
        return held
    away = t.ngettext(
        "You stepped away once.", "You stepped away {count} times.", nudges.stepped_away
    ).format(count=nudges.stepped_away)
    return f"{held} {away}"


def guard_sentence(t: Translator, note: GuardNote, tz: dt.tzinfo) -> str:
    """One stretch of unguarded time, said plainly and without blame."""
    if note.kind == "clock_step":
        amount = duration(t, abs(note.amount))
        at = _moment(note.started_at, note.started_at, tz)
        if note.amount > 0:
            return t._("The computer's clock was set forward by {amount} at {at}.").format(
                amount=amount, at=at
            )
        return t._("The computer's clock was set back by {amount} at {at}.").format(
            amount=amount, at=at
        )
    if note.kind == "companion_off":
        return t._("The companion in {browser} was off from {start} to {end}.").format(
            browser=browser_label(note.detail),
            start=_moment(note.started_at, note.ended_at, tz),
            end=_moment(note.ended_at, note.started_at, tz),
        )
    if note.kind == "loosened":
        return t._("A loosening was applied at {at}.").format(
            at=_moment(note.started_at, note.started_at, tz)
        )
    return t._("nudger was not running from {start} to {end}.").format(
        start=_moment(note.started_at, note.ended_at, tz),
        end=_moment(note.ended_at, note.started_at, tz),
    )


def _moment(at: float, beside: float, tz: dt.tzinfo) -> str:
    """A clock time, with its date when the time beside it falls on another day."""
    moment = dt.datetime.fromtimestamp(at, tz)
    if moment.date() == dt.datetime.fromtimestamp(beside, tz).date():
        return f"{moment:%H:%M}"
    return f"{moment:%Y-%m-%d %H:%M}"


def evening_sentence(t: Translator, report: DayReport) -> tuple[str, str]:
    """The evening notification: kind, short, and neutral enough for a shared screen. Never
    names anyone on the blocklist."""
    site_minutes = int(report.summary.site_seconds // 60)
    compared = change(t, report.summary.site_seconds, report.yesterday_site_seconds, "yesterday")
    if site_minutes == 0:
        first = t._("No time on social sites today.")
    elif compared:
        first = t._("{minutes} min on social sites today, {compared}.").format(
            minutes=site_minutes, compared=compared
        )
    else:
        first = t._("{minutes} min on social sites today.").format(minutes=site_minutes)
    body = f"{first} {streak_sentence(t, report)}"
    if report.streak.hard_last_7 >= REPEATED_HARD_DAYS:
        body += " " + t._(
            "A few days have been heavy lately. Talking it over with someone you trust, or a "
            "counsellor, can help: nudger help-now."
        )
    elif report.summary.blocklist_visits >= HARD_DAY_VISITS:
        body += " " + t._("Today asked a lot of you; resting tonight counts too.")
    return t._("Your day, gently summed up"), body


# Browsers by the name of their process, as people call them.
_BROWSERS = {
    "chromium": "Chromium",
    "chrome": "Chrome",
    "brave": "Brave",
    "msedge": "Edge",
    "vivaldi": "Vivaldi",
    "opera": "Opera",
    "firefox": "Firefox",
    "librewolf": "LibreWolf",
    "waterfox": "Waterfox",
}


def browser_label(process: str) -> str:
    """A browser's name from its process name ("firefox-esr", "chromium-browse"): "Firefox"."""
    name = process.lower()
    for known, label in _BROWSERS.items():
        if name.startswith(known) or known in name:
            return label
    return process or "the browser"


def _when(t: Translator, tendency: Tendency) -> str:
    if tendency.band == "night":
        return t._("after {time}").format(time=f"{tendency.hour:02d}:00")
    if tendency.band == "morning":
        return t._("in the morning")
    if tendency.band == "afternoon":
        return t._("in the afternoon")
    return t._("in the evening")


def _felt(t: Translator, feeling: Feeling) -> str:
    """A clause to follow "Most pauses and visits came ...," (after a comma)."""
    clauses = {
        "lonely": t._("when you felt lonely"),
        "sad": t._("when you felt sad"),
        "bored": t._("when you felt bored"),
        "angry": t._("when you felt angry"),
        "curious": t._("when you felt curious"),
        "cant_sleep": t._("when you couldn't sleep"),
        "fine": t._("when you felt fine"),
    }
    return clauses[feeling]


def tendency_sentence(t: Translator, tendency: Tendency) -> str:
    """When the pauses and visits gathered, and the feeling with them: no count, no verdict."""
    when = _when(t, tendency)
    if tendency.feeling is None:
        return t._("Most pauses and visits came {when}.").format(when=when)
    return t._("Most pauses and visits came {when}, {felt}.").format(
        when=when, felt=_felt(t, tendency.feeling)
    )


def _plan_start(t: Translator, feeling: Feeling) -> str:
    starts = {
        "lonely": t._("If I feel lonely"),
        "sad": t._("If I feel sad"),
        "bored": t._("If I feel bored"),
        "angry": t._("If I feel angry"),
        "curious": t._("If I feel curious about them"),
        "cant_sleep": t._("If I can't sleep"),
        "fine": t._("If I feel fine"),
    }
    return starts[feeling]


def plan_offer(t: Translator, tendency: Tendency) -> str | None:
    """An offer to write an if-then plan for the feeling that keeps coming back, with the
    command to do it; None when there is nothing to plan for."""
    if tendency.feeling is None or not tendency.offers_plan:
        return None
    example = t._("{start}, then I …").format(start=_plan_start(t, tendency.feeling))
    return t._("A plan for those moments can help, if you like: {command}").format(
        command=f'nudger plan add "{example}"'
    )
