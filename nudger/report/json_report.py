"""The JSON form of a summary. The schema is documented in README.md; fields are only ever added."""

from __future__ import annotations

import json
from typing import Any

from nudger.summary import DaySummary, TargetTotal

SCHEMA_VERSION = 1


def _target(total: TargetTotal) -> dict[str, Any]:
    return {
        "name": total.name,
        "kind": total.kind,
        "seconds": round(total.seconds),
        "visits": total.visits,
        "longest_seconds": round(total.longest_seconds),
    }


def day_document(summary: DaySummary) -> dict[str, Any]:
    return {
        "schema": SCHEMA_VERSION,
        "date": summary.date.isoformat(),
        "total_seconds": round(summary.total_seconds),
        "site_seconds": round(summary.site_seconds),
        "blocklist_seconds": round(summary.blocklist_seconds),
        "targets": [_target(t) for t in summary.targets],
    }


def dumps(document: dict[str, Any]) -> str:
    return json.dumps(document, indent=2, ensure_ascii=False)
