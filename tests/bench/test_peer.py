"""bench/peer.py's pure parts: the open-loop schedule, the plan and its arguments."""

from __future__ import annotations

import json
from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest

from bench import booking, peer

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def _plan(interviewers: int, candidates: int, sequential: int = 20, opened: int = 100) -> peer.Plan:
    items = booking.plan_bookings(
        interviewers=list(range(101, 101 + interviewers)),
        tokens=[f"token{n}" for n in range(candidates)],
        now=NOW,
    )
    return peer._plan(items, sequential, opened)


def test_it_schedules_arrivals_at_a_fixed_rate() -> None:
    due = peer.arrivals(50, 2)

    assert len(due) == 100
    assert due[0] == 0
    assert due[1] == pytest.approx(0.02)
    assert due[-1] == pytest.approx(1.98)


def test_it_counts_latency_from_the_scheduled_time_not_the_send() -> None:
    # The second and third requests were due 20 ms apart but both waited behind the
    # first: their latencies include the wait.
    due = [0.0, 0.02, 0.04]
    finished = [0.3, 0.32, 0.34]

    latencies = peer.latencies_from_schedule(due, finished)

    assert latencies == pytest.approx([0.3, 0.3, 0.3])
    assert booking._percentile(latencies, 0.99) == pytest.approx(0.3)


def test_it_plans_distinct_valid_bookings_for_every_phase() -> None:
    plan = _plan(interviewers=20, candidates=400)
    booked = [*plan.sequential, *plan.open_loop, *plan.closed]
    reserved = set(plan.reserved)

    assert len(plan.sequential) == 20
    assert len(plan.open_loop) == 100
    assert len({(s.interviewer, s.start) for s in [*booked, plan.storm_slot]}) == len(booked) + 1
    assert not reserved & {s.candidate for s in booked}
    assert max(Counter(s.candidate for s in booked).values()) <= booking.PER_CANDIDATE
    weeks = Counter((s.interviewer, s.start.isocalendar().week) for s in [*booked, plan.storm_slot])
    assert max(weeks.values()) <= booking.CAPACITY
    assert len({(s.candidate, s.start) for s in booked}) == len(booked)


def test_it_starts_the_sequential_phase_on_the_measured_slot_list_day() -> None:
    plan = _plan(interviewers=20, candidates=400, sequential=50)

    first_day = [s for s in plan.sequential if s.interviewer == 0]
    assert plan.sequential[: len(first_day)] == first_day
    assert {s.start.date() for s in first_day} == {plan.day.date()}
    assert plan.booked_day == len(first_day) >= 15
    assert plan.storm_slot.interviewer == 0
    assert plan.storm_slot.start.date() == plan.day.date()


def test_it_reserves_storm_candidates_who_exist_with_few_interviewers() -> None:
    # Five interviewers plan 300 bookings: candidates past the 300th never appear, and the
    # storm once picked them (IndexError).
    plan = _plan(interviewers=5, candidates=600, sequential=10, opened=10)

    assert len(plan.reserved) == peer.STORM
    assert max(plan.reserved) < len(plan.tokens) == 300


@pytest.mark.parametrize("argv", [[], ["--quick"]])
def test_it_seeds_enough_bookings_for_every_phase_by_default(argv: list[str]) -> None:
    args = peer._arguments(argv)

    planned = args.sequential + peer._open_count(args) + peer.CLOSED_RATE * args.seconds
    assert peer._usable(args.interviewers) >= planned
    plan = _plan(args.interviewers, args.candidates, args.sequential, peer._open_count(args))
    assert len(plan.closed) >= peer.CLOSED_RATE * args.seconds


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--interviewers", "5"], "give --interviewers 29 or more"),
        (["--interviewers", "50", "--candidates", "100"], "give --candidates 1000 or more"),
        (["--seconds", "0"], "--seconds must be more than 0"),
        (["--sequential", "0"], "--sequential must be at least 1"),
        (["--port", "80"], "--port must be between"),
    ],
)
def test_it_rejects_arguments_with_what_to_give_instead(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit):
        peer._arguments(argv)

    assert message in capsys.readouterr().err


def test_it_plans_each_body_for_its_interviewer_and_time() -> None:
    tokens = [f"token{n}" for n in range(40)]  # 120 bookings, 3 each
    items = booking.plan_bookings(interviewers=[7, 8], tokens=tokens, now=NOW)

    first = json.loads(items[0].body)
    assert first == {"interviewer": 7, "start": "2026-12-07T00:00:00+00:00"}
    assert datetime.fromisoformat(json.loads(items[-1].body)["start"]) == datetime(
        2026, 12, 7, tzinfo=UTC
    ) + timedelta(weeks=2, hours=19)
    assert [item.token for item in items[39:42]] == ["token39", "token0", "token1"]
