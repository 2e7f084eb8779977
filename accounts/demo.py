"""Demo accounts for `manage.py seed_demo`: verified, approved, with the documented logins.

Built with bulk inserts and one password hash shared by every account, so that 10,000
interviewers take seconds, not the hours that 10,000 separate hashes would.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from itertools import batched

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from accounts import expertise
from accounts.models import (
    CandidateLevel,
    CandidateProfile,
    InterviewerLevel,
    InterviewerProfile,
    SkillArea,
    User,
    VettingStatus,
)

DEMO_PASSWORD = "demo-pass-123"  # noqa: S105 (the documented demo login, SPEC §11)
DEMO_DOMAIN = "demo.test"
STAFF_EMAIL = f"staff@{DEMO_DOMAIN}"
PENDING_EMAIL = f"pending1@{DEMO_DOMAIN}"
BATCH = 1000

# Zones on both sides of the Atlantic and beyond, so time-zone fit has something to show.
TIME_ZONES = [
    "Europe/London",
    "America/New_York",
    "Europe/Berlin",
    "America/Los_Angeles",
    "Asia/Kolkata",
    "Australia/Sydney",
    "America/Sao_Paulo",
    "Asia/Tokyo",
]
FIRST_NAMES = [
    "Ada", "Grace", "Linus", "Barbara", "Ken", "Margaret", "Donald", "Frances", "Edsger",
    "Radia", "Dennis", "Shafi", "Leslie", "Katherine", "Tony", "Anita", "Niklaus", "Sophie",
    "Alan", "Jean", "John", "Adele", "Butler", "Karen", "Guido", "Hedy", "Bjarne", "Mary",
    "Vint", "Joan", "Whitfield", "Evelyn",
]  # fmt: skip
LAST_NAMES = [
    "Lovelace", "Hopper", "Torvalds", "Liskov", "Thompson", "Hamilton", "Knuth", "Allen",
    "Dijkstra", "Perlman", "Ritchie", "Goldwasser", "Lamport", "Johnson", "Hoare", "Borg",
    "Wirth", "Wilson", "Kay", "Sammet", "Backus", "Goldberg", "Lampson", "Jones", "Rossum",
    "Lamarr", "Stroustrup", "Keller", "Cerf", "Clarke", "Diffie", "Boyd",
]  # fmt: skip
PENDING_NAME = "Rosalind Franklin"  # a first name the generated ones never use
INITIALS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


@dataclass(frozen=True)
class SeedResult:
    created: int
    existing: int


def interviewer_email(number: int) -> str:
    return f"interviewer{number}@{DEMO_DOMAIN}"


def candidate_email(number: int) -> str:
    return f"candidate{number}@{DEMO_DOMAIN}"


def _name(kind: str, number: int) -> str:
    """A distinct name per demo person: interviewer n and candidate n never share one."""
    if kind == "staff":
        return "Staff Reviewer"
    if kind == "pending":
        return PENDING_NAME if number == 1 else f"{PENDING_NAME} {number}"
    index = 2 * number + (kind == "candidate")
    pairs = len(FIRST_NAMES) * len(LAST_NAMES)
    # The surname moves with the first name too, so that the first few people do not all
    # share one ("Linus Lovelace", "Barbara Lovelace"); within a round, index = 32k + f
    # gives the pair (f, 5f + k + 1), and k comes back from it, so no two people share a
    # name. The + 1 keeps the first 32 (every default demo person) off the real pairs
    # (f, f) such as "Ada Lovelace": 4f + 1 is never a multiple of 32.
    first = FIRST_NAMES[index % len(FIRST_NAMES)]
    last = LAST_NAMES[(5 * index + index // len(FIRST_NAMES) + 1) % len(LAST_NAMES)]
    round_ = index // pairs  # past 1,024 names, a middle initial (and a number past 27,648)
    if round_ == 0:
        return f"{first} {last}"
    initial = INITIALS[(round_ - 1) % len(INITIALS)]
    extra = (round_ - 1) // len(INITIALS)
    return f"{first} {initial}. {last}" + (f" {extra + 1}" if extra else "")


def seed_accounts(*, interviewers: int, candidates: int) -> SeedResult:
    """Create whichever demo accounts are missing; existing ones are left as they are."""
    areas = list(SkillArea.objects.order_by("position"))
    password = make_password(DEMO_PASSWORD)
    wanted = (
        [(STAFF_EMAIL, "staff", 0)]
        + [(interviewer_email(n), "interviewer", n) for n in range(1, interviewers + 1)]
        + [(candidate_email(n), "candidate", n) for n in range(1, candidates + 1)]
        + [(PENDING_EMAIL, "pending", 1)]
    )
    existing = set(
        User.objects.filter(email__in=[email for email, _, _ in wanted]).values_list(
            "email", flat=True
        )
    )
    missing = [row for row in wanted if row[0] not in existing]
    for chunk in batched(missing, BATCH, strict=False):
        with transaction.atomic():
            _create(chunk, password=password, areas=areas)
    return SeedResult(created=len(missing), existing=len(existing))


def _create(
    rows: tuple[tuple[str, str, int], ...], *, password: str, areas: list[SkillArea]
) -> None:
    now = timezone.now()
    users = User.objects.bulk_create(
        [
            User(
                email=email,
                password=password,
                display_name=_name(kind, number),
                time_zone=TIME_ZONES[number % len(TIME_ZONES)],
                years_experience=_years(kind, number),
                is_staff=kind == "staff",
                is_superuser=kind == "staff",
                date_joined=now,
            )
            for email, kind, number in rows
        ]
    )
    # bulk_create returns primary keys on PostgreSQL and SQLite alike.
    EmailAddress.objects.bulk_create(
        [EmailAddress(user=user, email=user.email, verified=True, primary=True) for user in users]
    )
    interviewer_rows = [
        (user, number, kind)
        for user, (_, kind, number) in zip(users, rows, strict=True)
        if kind in ("interviewer", "pending")
    ]
    candidate_rows = [
        (user, number)
        for user, (_, kind, number) in zip(users, rows, strict=True)
        if kind == "candidate"
    ]
    _create_interviewers(interviewer_rows, areas=areas, now=now)
    _create_candidates(candidate_rows, areas=areas, now=now)


def _years(kind: str, number: int) -> int:
    if kind in ("interviewer", "pending"):
        return 6 + number % 15
    if kind == "candidate":
        return 1 + number % 10
    return 10


def _create_interviewers(
    rows: list[tuple[User, int, str]], *, areas: list[SkillArea], now: datetime
) -> None:
    levels = InterviewerLevel.values
    profiles = InterviewerProfile.objects.bulk_create(
        [
            InterviewerProfile(
                user=user,
                level=levels[number % len(levels)],
                bio=(
                    f"{_years('interviewer', number)} years building and running distributed "
                    "systems; happy to go deep on whatever you find hardest."
                ),
                weekly_capacity=3 + number % 4,
                status=VettingStatus.PENDING if kind == "pending" else VettingStatus.APPROVED,
                decided_at=None if kind == "pending" else now,
            )
            for user, number, kind in rows
        ]
    )
    through = InterviewerProfile.expertise.through
    through.objects.bulk_create(
        [
            through(interviewerprofile_id=profile.pk, skillarea_id=area.pk)
            for profile, (_, number, _) in zip(profiles, rows, strict=True)
            for area in _rotating(areas, start=number * 2, count=3)
        ]
    )
    expertise.refresh(profile.pk for profile in profiles)  # the bulk insert sent no signal


def _create_candidates(
    rows: list[tuple[User, int]], *, areas: list[SkillArea], now: datetime
) -> None:
    levels = CandidateLevel.values
    profiles = CandidateProfile.objects.bulk_create(
        [
            CandidateProfile(
                user=user,
                # Demo candidates aim at mid to staff, so every one has seniors to match.
                target_level=levels[1 + number % (len(levels) - 1)],
                goal="Pass a senior system design loop this quarter",
            )
            for user, number in rows
        ]
    )
    through = CandidateProfile.focus_areas.through
    through.objects.bulk_create(
        [
            through(candidateprofile_id=profile.pk, skillarea_id=area.pk)
            for profile, (_, number) in zip(profiles, rows, strict=True)
            for area in _rotating(areas, start=number * 3 + 1, count=2)
        ]
    )


def _rotating(areas: list[SkillArea], *, start: int, count: int) -> list[SkillArea]:
    # Communication is scored in every interview; keep it out of the picked expertise.
    pool = [area for area in areas if area.slug != "communication"]
    return [pool[(start + offset) % len(pool)] for offset in range(count)]
