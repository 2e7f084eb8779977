"""Demo availability for `seed_demo`: every demo interviewer gets a realistic working week."""

from __future__ import annotations

from datetime import time

from accounts.demo import DEMO_DOMAIN
from accounts.models import InterviewerProfile
from interviews.models import WeeklyWindow

BATCH = 5000

# (weekday, start, end) patterns in the interviewer's own zone; rotated per interviewer so
# that the match list has variety across days and hours.
PATTERNS: list[list[tuple[int, time, time]]] = [
    [(0, time(9), time(12)), (2, time(13), time(18)), (4, time(9), time(12))],
    [(1, time(8), time(11)), (3, time(16), time(20)), (5, time(10), time(13))],
    [(0, time(18), time(21)), (1, time(18), time(21)), (3, time(12), time(15))],
    [(2, time(7), time(10)), (4, time(14), time(18)), (6, time(10), time(12))],
]


def seed_availability() -> int:
    """Weekly windows for demo interviewers that have none yet; returns how many got some."""
    profiles = (
        InterviewerProfile.objects.filter(user__email__endswith=f"@{DEMO_DOMAIN}")
        .exclude(user__weekly_windows__isnull=False)
        .values_list("user_id", flat=True)
        .order_by("user_id")
    )
    user_ids = list(profiles)
    windows = [
        WeeklyWindow(interviewer_id=user_id, weekday=weekday, start_time=start, end_time=end)
        for number, user_id in enumerate(user_ids)
        for weekday, start, end in PATTERNS[number % len(PATTERNS)]
    ]
    WeeklyWindow.objects.bulk_create(windows, batch_size=BATCH)
    return len(user_ids)
