"""The pattern rules: when pauses and visits gathered, the feeling that came with them, and
when the summary offers a plan. No counts anywhere in what is said."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from nudger.core.feelings import FEELINGS, Tendency, band_of, feeling_of, tendency
from nudger.core.translate import ENGLISH
from nudger.core.words import plan_offer, tendency_sentence

TZ = ZoneInfo("Europe/Berlin")


def at(day: int, hour: int, minute: int = 0) -> float:
    return dt.datetime(2026, 3, day, hour, minute, tzinfo=TZ).timestamp()


def test_late_moments_and_lonely_taps_make_one_gentle_line_and_an_offer() -> None:
    moments = [at(2, 23, 10), at(3, 0, 40), at(4, 23, 30), at(5, 14)]
    taps = [(at(2, 23, 11), "lonely"), (at(4, 23, 31), "lonely"), (at(5, 14, 1), "bored")]
    found = tendency(moments, taps, TZ)
    assert found == Tendency("night", 23, "lonely")
    assert tendency_sentence(ENGLISH, found) == (
        "Most pauses and visits came after 23:00, when you felt lonely."
    )
    offer = plan_offer(ENGLISH, found)
    assert offer is not None and 'nudger plan add "If I feel lonely, then I …"' in offer
    assert not any(char.isdigit() for char in offer.replace("nudger", ""))


def test_the_night_starts_where_its_first_moment_is_even_after_midnight() -> None:
    found = tendency([at(2, 1, 5), at(3, 2), at(4, 0, 30)], [], TZ)
    assert found == Tendency("night", 0, None)
    assert tendency_sentence(ENGLISH, found) == "Most pauses and visits came after 00:00."
    assert plan_offer(ENGLISH, found) is None  # no feeling known: nothing to plan for


def test_too_few_moments_or_no_part_of_the_day_with_most_says_nothing() -> None:
    assert tendency([at(2, 23), at(3, 23)], [], TZ) is None
    spread = [at(2, 8), at(3, 13), at(4, 19), at(5, 23)]
    assert tendency(spread, [], TZ) is None


def test_a_feeling_needs_more_than_half_of_at_least_two_answers() -> None:
    evening = [at(2, 19), at(3, 20), at(4, 18)]
    split = [(at(2, 19), "sad"), (at(3, 20), "angry")]
    assert tendency(evening, split, TZ) == Tendency("evening", 18, None)
    one = [(at(2, 19), "sad")]
    assert tendency(evening, one, TZ) == Tendency("evening", 18, None)
    two = [(at(2, 19), "sad"), (at(3, 20), "sad"), (at(4, 9), "bored")]
    found = tendency(evening, two, TZ)
    assert found == Tendency("evening", 18, "sad")
    assert tendency_sentence(ENGLISH, found) == (
        "Most pauses and visits came in the evening, when you felt sad."
    )


def test_feeling_fine_is_said_but_offers_no_plan() -> None:
    found = tendency(
        [at(2, 9), at(3, 10), at(4, 11)], [(at(2, 9), "fine"), (at(3, 10), "fine")], TZ
    )
    assert found == Tendency("morning", 9, "fine")
    assert plan_offer(ENGLISH, found) is None


def test_only_the_offered_answers_count() -> None:
    assert [feeling_of(f) for f in FEELINGS] == list(FEELINGS)
    for other in ("skip", "", None, "LONELY", "https://instagram.com/alexdoe", 3):
        assert feeling_of(other) is None


def test_parts_of_the_day() -> None:
    assert [band_of(h) for h in (22, 23, 0, 4)] == ["night"] * 4
    assert [band_of(h) for h in (5, 11, 12, 16, 17, 21)] == [
        "morning",
        "morning",
        "afternoon",
        "afternoon",
        "evening",
        "evening",
    ]
