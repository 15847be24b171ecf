"""Small wording helpers shared by every output: durations, clock times, kind sentences."""

from __future__ import annotations

import datetime as dt

from nudger.core.summary import HARD_DAY_VISITS, DayReport, NudgeCounts, Streak

# Hard days among the last 7 from which the evening suggests talking to someone.
REPEATED_HARD_DAYS = 3


def duration(seconds: float) -> str:
    """12 s, 24 min, 1 h 05 min. Whole units, rounded down; glances still show."""
    whole = int(seconds)
    if whole < 60:
        return f"{whole} s"
    minutes = whole // 60
    if minutes < 60:
        return f"{minutes} min"
    return f"{minutes // 60} h {minutes % 60:02d} min"


def counted(count: int, singular: str, plural: str | None = None) -> str:
    """1 visit, 2 visits; 1 blocklist entry, 3 blocklist entries."""
    return f"{count} {singular if count == 1 else plural or singular + 's'}"


def clock(at: float | None, tz: dt.tzinfo) -> str:
    return "" if at is None else dt.datetime.fromtimestamp(at, tz).strftime("%H:%M")


def change(now: float, before: float | None, what: str) -> str | None:
    """ "12 min less than yesterday", "3 min more than ...", "the same as ...", or None."""
    if before is None:
        return None
    delta = round(now / 60) - round(before / 60)
    if delta == 0:
        return f"about the same as {what}"
    return f"{abs(delta)} min {'less' if delta < 0 else 'more'} than {what}"


def long_date(day: dt.date) -> str:
    """ "27 November 2026" (strftime's %-d is not portable, so the day number is added by hand)."""
    return f"{day.day} {day:%B %Y}"


def untracked_sentence(day: dt.date, today: dt.date, since: dt.date | None) -> str | None:
    """What to say of a day nudger knows nothing about, or None for a day it watched."""
    if since is None:
        return "Nothing recorded yet."
    if day > today:
        return "This day has not come yet."
    if day < since:
        return f"nudger was not watching yet on this day; it began on {long_date(since)}."
    return None


def streak_sentence(report: DayReport, today: dt.date | None = None) -> str:
    """How the day went for the blocklist. A past day is told in the past tense; a day before
    nudger was watching (or one still to come) says so instead of counting as a clear day.

    Forgiving on purpose: after a visit it counts the clear days of the last 30 instead of
    setting a reset next to the best run, and it never writes a hard day off."""
    streak = report.streak
    day = report.summary.date
    today = today or day
    unknown = untracked_sentence(day, today, streak.tracked_since)
    if unknown is not None:
        return unknown
    visits = report.summary.blocklist_visits
    times = "once" if visits == 1 else f"{visits} times"
    clear = clear_days_sentence(streak)
    if day < today:
        if streak.current > 0:
            return f"No visits to the blocklist that day: day {streak.current} in a row."
        return f"Blocklist pages came up {times} that day."
    if streak.current > 0:
        return f"No visits to the blocklist today: day {streak.current}.{clear}"
    return f"Blocklist pages came up {times} today.{clear}"


def clear_days_sentence(streak: Streak) -> str:
    """ " Clear days in the last 30: 21." (with its leading space), or "" too early to say."""
    if streak.watched_last_30 < 2:
        return ""
    span = "30" if streak.watched_last_30 >= 30 else str(streak.watched_last_30)
    return f" Clear days in the last {span}: {streak.clear_last_30}."


def help_sentence(report: DayReport) -> str | None:
    """One quiet pointer to `nudger help-now` after a hard day, or None."""
    if report.summary.blocklist_visits < HARD_DAY_VISITS:
        return None
    return "If you'd like someone to talk to, `nudger help-now` lists people who listen."


def pause_sentence(nudges: NudgeCounts) -> str:
    """The browser's pauses, told as choices the person made, never as a score."""
    held = (
        "a page was held back for a breath"
        if nudges.pauses == 1
        else (f"pages were held back for a breath {nudges.pauses} times")
    )
    if nudges.stepped_away == 0:
        return f"In the browser, {held}."
    away = "once" if nudges.stepped_away == 1 else f"{nudges.stepped_away} times"
    return f"In the browser, {held}; you stepped away {away}."


def evening_sentence(report: DayReport) -> tuple[str, str]:
    """The evening notification: kind, short, and neutral enough for a shared screen. Never
    names anyone on the blocklist."""
    site_minutes = int(report.summary.site_seconds // 60)
    compared = change(report.summary.site_seconds, report.yesterday_site_seconds, "yesterday")
    if site_minutes == 0:
        first = "No time on social sites today."
    elif compared:
        first = f"{site_minutes} min on social sites today, {compared}."
    else:
        first = f"{site_minutes} min on social sites today."
    body = f"{first} {streak_sentence(report)}"
    if report.streak.hard_last_7 >= REPEATED_HARD_DAYS:
        body += (
            " A few days have been heavy lately. Talking it over with someone you trust, or a "
            "counsellor, can help: nudger help-now."
        )
    elif report.summary.blocklist_visits >= HARD_DAY_VISITS:
        body += " Today asked a lot of you; resting tonight counts too."
    return "Your day, gently summed up", body
