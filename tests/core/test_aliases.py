"""Blocklist entries shown as "Person A", "Person B", ... (nudger/core/aliases.py)."""

from __future__ import annotations

from nudger.core.aliases import alias_label, blocklist_aliases


def test_labels_run_past_z_like_spreadsheet_columns() -> None:
    assert [alias_label(i) for i in (0, 1, 25, 26, 27, 51, 52)] == [
        "Person A",
        "Person B",
        "Person Z",
        "Person AA",
        "Person AB",
        "Person AZ",
        "Person BA",
    ]


def test_config_order_first_then_older_names_from_the_records() -> None:
    rename = blocklist_aliases(["Sam", "Alex", "Sam"], recorded=["Zoe", "Alex", "Bo"])
    assert [rename("blocklist", name) for name in ("Sam", "Alex", "Bo", "Zoe")] == [
        "Person A",
        "Person B",
        "Person C",
        "Person D",
    ]
    assert rename("blocklist", "never seen") == "Person ?"  # never the name itself
    assert rename("site", "Instagram") == "Instagram"
