"""Worked examples of the service-standard clock with real 2026 Indonesian calendars."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from orders.sla import (
    CORRECTION_STANDARD_DAYS,
    SLA_STANDARD_DAYS,
    SLA_WARNING_DAYS,
    SlaInterval,
    add_working_days,
    intervals_owned,
    sla_days_used,
    sla_state,
    working_days_between,
)

WIB = ZoneInfo("Asia/Jakarta")

# Who owns each status (docs/domain.md, "Order states").
STAFF_OWNED = {
    "submitted",
    "preparing",
    "revising",
    "payment_review",
    "awaiting_delivery",
    "correcting",
}


def wib(year: int, month: int, day: int, hour: int = 9, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=WIB)


def staff_owned(status: str) -> bool:
    return status in STAFF_OWNED


def test_the_same_day_uses_no_working_day():
    assert working_days_between(start=wib(2026, 9, 7, 8), end=wib(2026, 9, 7, 16)) == 0


def test_a_negative_span_uses_no_working_day():
    assert working_days_between(start=wib(2026, 9, 10), end=wib(2026, 9, 7)) == 0


def test_a_weekend_does_not_count():
    friday_afternoon, monday = wib(2026, 8, 7, 15, 30), wib(2026, 8, 10, 10)
    assert working_days_between(start=friday_afternoon, end=monday) == 1


def test_independence_day_does_not_count():
    # 2026-08-17 is a Monday: Saturday, Sunday and the holiday are all off.
    friday, tuesday = wib(2026, 8, 14), wib(2026, 8, 18)
    assert working_days_between(start=friday, end=tuesday) == 1


def test_joint_leave_around_eid_al_fitr_does_not_count():
    # Off from Wed 2026-03-18 (Nyepi joint leave) to Tue 2026-03-24 (Eid joint leave).
    tuesday_before, wednesday_after = wib(2026, 3, 17), wib(2026, 3, 25)
    assert working_days_between(start=tuesday_before, end=wednesday_after) == 1


def test_a_joint_leave_day_alone_is_off():
    # 2026-03-20 is only in the "government" category; "public" alone would count it.
    assert working_days_between(start=wib(2026, 3, 19), end=wib(2026, 3, 20)) == 0


def test_two_full_weeks_are_exactly_ten_working_days():
    monday, monday_two_weeks_later = wib(2026, 9, 7), wib(2026, 9, 21)
    assert working_days_between(start=monday, end=monday_two_weeks_later) == SLA_STANDARD_DAYS


def test_a_span_across_the_new_year_uses_both_calendars():
    # 2026-01-01 is New Year's Day; 2025-12-31 and 2026-01-02 are working days.
    assert working_days_between(start=wib(2025, 12, 30), end=wib(2026, 1, 2)) == 2


def test_late_evening_in_jakarta_is_still_the_same_local_date():
    late_evening = wib(2026, 9, 7, 23, 30)
    assert late_evening.astimezone(UTC).hour == 16
    assert working_days_between(start=wib(2026, 9, 7, 8), end=late_evening) == 0


def test_early_morning_in_jakarta_is_the_next_local_date_although_utc_is_not():
    # 17:30 UTC on Monday is 00:30 WIB on Tuesday.
    tuesday_early_in_utc = datetime(2026, 9, 7, 17, 30, tzinfo=UTC)
    assert working_days_between(start=wib(2026, 9, 7, 23, 30), end=tuesday_early_in_utc) == 1


def test_add_working_days_of_zero_is_the_start_date():
    assert add_working_days(start=wib(2026, 9, 7), days=0) == date(2026, 9, 7)


def test_add_working_days_skips_the_weekend():
    assert add_working_days(start=wib(2026, 8, 7, 15), days=1) == date(2026, 8, 10)


def test_add_working_days_uses_the_local_date():
    # 17:30 UTC on Thursday is 00:30 WIB on Friday: one working day later is Monday, not Friday.
    friday_early = datetime(2026, 8, 6, 17, 30, tzinfo=UTC)
    assert add_working_days(start=friday_early, days=1) == date(2026, 8, 10)


def test_add_working_days_skips_eid_joint_leave():
    assert add_working_days(start=wib(2026, 3, 17), days=1) == date(2026, 3, 25)
    # Ten days from Mon 2026-03-16 also skip Good Friday (2026-04-03).
    assert add_working_days(start=wib(2026, 3, 16), days=SLA_STANDARD_DAYS) == date(2026, 4, 7)


def test_a_correction_requested_before_eid_is_due_after_it():
    due = add_working_days(start=wib(2026, 3, 17), days=CORRECTION_STANDARD_DAYS)
    assert due == date(2026, 3, 31)


def test_add_working_days_agrees_with_working_days_between():
    start = wib(2026, 3, 16, 14)
    due = add_working_days(start=start, days=SLA_STANDARD_DAYS)
    due_moment = datetime(due.year, due.month, due.day, 12, tzinfo=WIB)
    assert working_days_between(start=start, end=due_moment) == SLA_STANDARD_DAYS


def test_add_working_days_refuses_negative_days():
    with pytest.raises(ValueError, match="negative"):
        add_working_days(start=wib(2026, 9, 7), days=-1)


def test_the_clock_pauses_while_the_customer_owns_the_order():
    changes = [
        (wib(2026, 9, 7), "submitted"),  # Monday
        (wib(2026, 9, 9), "needs_info"),  # Wednesday: 2 working days used
        (wib(2026, 9, 14), "submitted"),  # next Monday: the customer answered
        (wib(2026, 9, 15), "preparing"),
        (wib(2026, 9, 16), "offered"),  # Wednesday: 2 more working days
    ]
    now = wib(2026, 9, 30)

    intervals = intervals_owned(changes=changes, owned=staff_owned, now=now)

    assert intervals == [
        SlaInterval(start=wib(2026, 9, 7), end=wib(2026, 9, 9)),
        SlaInterval(start=wib(2026, 9, 14), end=wib(2026, 9, 16)),
    ]
    assert sla_days_used(intervals=intervals, now=now) == 4


def test_the_treasurer_s_time_counts_too():
    changes = [
        (wib(2026, 9, 7), "submitted"),
        (wib(2026, 9, 8), "offered"),
        (wib(2026, 9, 10), "payment_review"),
        (wib(2026, 9, 11), "awaiting_delivery"),
        (wib(2026, 9, 14), "completed"),
    ]
    intervals = intervals_owned(changes=changes, owned=staff_owned, now=wib(2026, 9, 30))
    assert sla_days_used(intervals=intervals, now=wib(2026, 9, 30)) == 1 + 2


def test_a_still_running_interval_is_counted_to_now():
    changes = [(wib(2026, 9, 7), "submitted"), (wib(2026, 9, 8), "preparing")]
    now = wib(2026, 9, 10, 15)

    intervals = intervals_owned(changes=changes, owned=staff_owned, now=now)

    assert intervals == [SlaInterval(start=wib(2026, 9, 7), end=None)]
    assert sla_days_used(intervals=intervals, now=now) == 3


def test_changes_after_now_are_not_yet_history():
    changes = [(wib(2026, 9, 7), "submitted"), (wib(2026, 9, 16), "offered")]
    now = wib(2026, 9, 10)

    intervals = intervals_owned(changes=changes, owned=staff_owned, now=now)

    assert intervals == [SlaInterval(start=wib(2026, 9, 7), end=None)]
    assert sla_days_used(intervals=intervals, now=now) == 3


def test_an_interval_ending_after_now_is_counted_to_now():
    interval = SlaInterval(start=wib(2026, 9, 7), end=wib(2026, 9, 16))
    assert sla_days_used(intervals=[interval], now=wib(2026, 9, 10)) == 3


def test_no_history_uses_no_time():
    assert intervals_owned(changes=[], owned=staff_owned, now=wib(2026, 9, 7)) == []
    assert sla_days_used(intervals=[], now=wib(2026, 9, 7)) == 0


@pytest.mark.parametrize(
    ("used", "state"),
    [(0, "ok"), (7, "ok"), (8, "near"), (10, "near"), (11, "late")],
)
def test_sla_state_for_the_online_standard(used, state):
    assert sla_state(used=used) == state


def test_the_warning_starts_where_the_state_turns_near():
    assert sla_state(used=SLA_WARNING_DAYS - 1) == "ok"
    assert sla_state(used=SLA_WARNING_DAYS) == "near"


@pytest.mark.parametrize(("used", "state"), [(2, "ok"), (3, "near"), (5, "near"), (6, "late")])
def test_sla_state_for_the_correction_standard(used, state):
    assert sla_state(used=used, standard=CORRECTION_STANDARD_DAYS) == state
