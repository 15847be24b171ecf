"""The JSON form of summaries. The schema is in docs/summary.md; fields are only added."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from nudger.core.feelings import Tendency
from nudger.core.guard import GuardNote
from nudger.core.summary import (
    DayReport,
    DaySummary,
    NudgeCounts,
    RangeSummary,
    Streak,
    TargetTotal,
)
from nudger.core.words import browser_label, whole_seconds

SCHEMA_VERSION = 1


def _iso(at: float | None, tz: dt.tzinfo) -> str | None:
    return None if at is None else dt.datetime.fromtimestamp(at, tz).isoformat(timespec="seconds")


def _target(total: TargetTotal, tz: dt.tzinfo) -> dict[str, Any]:
    return {
        "name": total.name,
        "kind": total.kind,
        "seconds": whole_seconds(total.seconds),
        "visits": total.visits,
        "longest_seconds": whole_seconds(total.longest_seconds),
        "first_seen": _iso(total.first_seen, tz),
        "last_seen": _iso(total.last_seen, tz),
    }


def _nudges(counts: NudgeCounts) -> dict[str, int]:
    return {
        "sent": counts.sent,
        "delivered": counts.delivered,
        "heeded": counts.heeded,
        "snoozed": counts.snoozed,
        "pauses": counts.pauses,
        "stepped_away": counts.stepped_away,
    }


def _guard(notes: tuple[GuardNote, ...], tz: dt.tzinfo) -> list[dict[str, Any]]:
    """Unguarded time: what it was, from when to when, and how far a clock was set."""
    return [
        {
            "kind": note.kind,
            "from": _iso(note.started_at, tz),
            "to": _iso(note.ended_at, tz),
            **({"clock_moved_seconds": whole_seconds(note.amount)} if note.amount else {}),
            **({"browser": browser_label(note.detail)} if note.detail else {}),
        }
        for note in notes
    ]


def _streak(streak: Streak) -> dict[str, Any]:
    return {
        "days_without_blocklist": streak.current,
        "best": streak.best,
        "tracked_since": streak.tracked_since.isoformat() if streak.tracked_since else None,
    }


def _totals(summary: DaySummary, tz: dt.tzinfo) -> dict[str, Any]:
    return {
        "date": summary.date.isoformat(),
        "total_seconds": whole_seconds(summary.total_seconds),
        "site_seconds": whole_seconds(summary.site_seconds),
        "blocklist_seconds": whole_seconds(summary.blocklist_seconds),
        "blocklist_visits": summary.blocklist_visits,
        "targets": [_target(t, tz) for t in summary.targets],
        "running": [_target(t, tz) for t in summary.running],
    }


def day_document(report: DayReport, tz: dt.tzinfo) -> dict[str, Any]:
    def rounded(value: float | None) -> int | None:
        return None if value is None else whole_seconds(value)

    return {
        "schema": SCHEMA_VERSION,
        "view": "day",
        **_totals(report.summary, tz),
        "compared": {
            "yesterday_site_seconds": rounded(report.yesterday_site_seconds),
            "average_7d_site_seconds": rounded(report.average_site_seconds),
        },
        "nudges": _nudges(report.nudges),
        "streak": _streak(report.streak),
        "guard": _guard(report.guard, tz),
        "plans": list(report.plans),
        "tendency": _tendency(report.tendency),
    }


def range_document(summary: RangeSummary, tz: dt.tzinfo) -> dict[str, Any]:
    return {
        "schema": SCHEMA_VERSION,
        "view": "range",
        "from": summary.first.isoformat(),
        "to": summary.last.isoformat(),
        "total_seconds": whole_seconds(sum(d.total_seconds for d in summary.days)),
        "site_seconds": whole_seconds(sum(d.site_seconds for d in summary.days)),
        "blocklist_seconds": whole_seconds(sum(d.blocklist_seconds for d in summary.days)),
        "days": [_totals(day, tz) for day in summary.days],
        "targets": [_target(t, tz) for t in summary.targets],
        "hours": [
            {
                "hour": h.hour,
                "site_seconds": whole_seconds(h.site_seconds),
                "blocklist_seconds": whole_seconds(h.blocklist_seconds),
                "seconds": whole_seconds(h.seconds),
            }
            for h in summary.hours
        ],
        "nudges": _nudges(summary.nudges),
        "streak": _streak(summary.streak),
        "guard": _guard(summary.guard, tz),
        "plans": list(summary.plans),
        "tendency": _tendency(summary.tendency),
    }


def _tendency(found: Tendency | None) -> dict[str, Any] | None:
    """When pauses and visits gathered (a part of the day, from which hour) and the feeling
    the taps showed with them: no counts."""
    if found is None:
        return None
    return {
        "band": found.band,
        "hour": found.hour,
        "feeling": found.feeling,
        "offers_plan": found.offers_plan,
    }


def dumps(document: dict[str, Any]) -> str:
    return json.dumps(document, indent=2, ensure_ascii=False)
