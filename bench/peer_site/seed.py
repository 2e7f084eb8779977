"""Seed django-appointment with the interviewers and candidates ours gets (bench/peer.py).

    var/peer-venv/bin/python -m bench.peer_site.seed INTERVIEWERS CANDIDATES

Interviewers become staff members offering one one-hour service, working 00:00-23:59 on
every day of the week (ours: weekly windows 00:00-23:59 every day). Candidates become
users, each logged in through a session of its own, as a browser would be. Prints JSON:
the staff member ids and the session keys, in the order of ours.
"""

from __future__ import annotations

import json
import os
import sys
from datetime import time, timedelta

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.peer_site.settings")

import django

django.setup()

from appointment.models import Service, StaffMember, WorkingHours  # noqa: E402
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY  # noqa: E402
from django.contrib.auth.hashers import make_password  # noqa: E402
from django.contrib.auth.models import User  # noqa: E402
from django.contrib.sessions.backends.db import SessionStore  # noqa: E402


def main() -> None:
    interviewers, candidates = int(sys.argv[1]), int(sys.argv[2])
    password = make_password(None)
    service = Service.objects.create(
        name="System design mock", duration=timedelta(hours=1), price=0
    )
    staff_users = User.objects.bulk_create(
        User(
            username=f"interviewer{n}",
            email=f"bench-interviewer{n}@bench.test",
            first_name="Interviewer",
            last_name=str(n),
            password=password,
        )
        for n in range(interviewers)
    )
    # bulk_create skips WorkingHours.save(), which would set these two flags one by one.
    staff = StaffMember.objects.bulk_create(
        StaffMember(
            user=user,
            slot_duration=60,
            lead_time=time(0),
            finish_time=time(23, 59),
            work_on_saturday=True,
            work_on_sunday=True,
        )
        for user in staff_users
    )
    StaffMember.services_offered.through.objects.bulk_create(
        StaffMember.services_offered.through(staffmember_id=member.pk, service_id=service.pk)
        for member in staff
    )
    WorkingHours.objects.bulk_create(
        WorkingHours(
            staff_member=member, day_of_week=day, start_time=time(0), end_time=time(23, 59)
        )
        for member in staff
        for day in range(7)
    )
    candidate_users = User.objects.bulk_create(
        User(
            username=f"candidate{n}",
            email=f"bench-candidate{n}@bench.test",
            first_name="Candidate",
            last_name=str(n),
            password=password,
        )
        for n in range(candidates)
    )
    sessions = []
    for user in candidate_users:
        store = SessionStore()
        store[SESSION_KEY] = str(user.pk)
        store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        store.create()
        sessions.append(store.session_key)
    json.dump(
        {"service": service.pk, "staff": [member.pk for member in staff], "sessions": sessions},
        sys.stdout,
    )


if __name__ == "__main__":
    main()
