from __future__ import annotations

import time
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand

from accounts.demo import DEMO_DOMAIN, DEMO_PASSWORD, PENDING_EMAIL, STAFF_EMAIL, seed_accounts
from interviews.demo import seed_availability, seed_past_sessions
from studyplans.planning import seed_plans


class Command(BaseCommand):
    help = (
        "Create the demo accounts (idempotent): approved interviewers with availability, "
        "candidates with past sessions, feedback and a study plan, staff."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--interviewers", type=int, default=5)
        parser.add_argument("--candidates", type=int, default=5)

    def handle(self, *args: Any, interviewers: int, candidates: int, **options: Any) -> None:
        started = time.perf_counter()
        result = seed_accounts(interviewers=interviewers, candidates=candidates)
        with_windows = seed_availability()
        with_history = seed_past_sessions()
        plans = seed_plans(emails_ending=f"@{DEMO_DOMAIN}")
        seconds = time.perf_counter() - started
        self.stdout.write(
            f"Demo accounts: {result.created} created, {result.existing} already there"
            f"; weekly availability for {with_windows} interviewers"
            f"; past sessions with feedback for {with_history} candidates"
            f"; {plans} study plans ({seconds:.1f}s)."
        )
        self.stdout.write(
            f"Log in with interviewer1@demo.test … interviewer{interviewers}@demo.test, "
            f"candidate1@demo.test … candidate{candidates}@demo.test, {STAFF_EMAIL} (staff) "
            f"or {PENDING_EMAIL} (awaiting review); password {DEMO_PASSWORD}"
        )
