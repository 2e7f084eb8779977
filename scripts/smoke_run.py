"""Smoke-test the `make run` stack: SQLite, the filesystem broker, files in a mail folder.

On a fresh SQLite file it migrates, seeds the demo data, starts the Procfile (web, worker,
beat) under honcho, and checks over HTTP that the health check answers, the sign-up page
offers the role choice, a demo candidate can log in and book their first match in two
clicks, and a staff approval reaches the interviewer as an email file written by the
Celery worker. Then Ctrl-C (SIGINT) must stop every process. Exits non-zero on the first
failure.
"""

from __future__ import annotations

import html
import http.cookiejar
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PORT = os.environ.get("SMOKE_PORT", "8765")
BASE = f"http://127.0.0.1:{PORT}"


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="mockloop-smoke-") as tmp:
        env = {
            **os.environ,
            "DATABASE_URL": f"sqlite:///{tmp}/db.sqlite3",
            "MAIL_DIR": f"{tmp}/mail",
            "CELERY_FILESYSTEM_DIR": f"{tmp}/celery",
            "WEB_PORT": PORT,
            "DEBUG": "True",
        }
        env.pop("CELERY_BROKER_URL", None)
        env.pop("CACHE_URL", None)
        started = time.perf_counter()
        _manage(env, "migrate", "--noinput")
        _manage(env, "seed_demo")
        print(f"migrate + seed_demo: {time.perf_counter() - started:.1f}s")
        honcho = subprocess.Popen(
            [sys.executable, "-m", "honcho", "start", "-f", "Procfile"],
            cwd=ROOT,
            env=env,
            start_new_session=True,
        )
        try:
            _check_stack(Path(tmp) / "mail")
        finally:
            _stop(honcho)
    print("smoke: ok")
    return 0


def _manage(env: dict[str, str], *args: str) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True)


def _check_stack(mail_dir: Path) -> None:
    started = time.perf_counter()
    health = _wait_for_health()
    print(f"healthz after {time.perf_counter() - started:.1f}s: {health}")
    signup = _get(urllib.request.build_opener(), "/accounts/signup/")
    _expect('name="role"' in signup, "the sign-up page offers the role choice")

    candidate = _logged_in("candidate1@demo.test")
    _expect("Your profile" in _get(candidate, "/profile/"), "a demo candidate reaches the profile")
    dashboard = _get(candidate, "/dashboard/")
    _expect("This week's plan" in dashboard, "a demo candidate lands on this week's plan")
    _expect("average over your last 4 interviews" in dashboard, "the plan says why, in numbers")
    _book_first_match(candidate)
    _expect(
        "Open session" in _get(candidate, "/dashboard/"), "the dashboard shows the booked session"
    )
    # The confirmation goes out through the outbox: a task sent on commit, run by the worker.
    _wait_for_mail(mail_dir, "Your mock system design interview is booked.")
    _read_demo_feedback(candidate)

    staff = _logged_in("staff@demo.test")
    queue = _get(staff, "/staff/vetting/")
    match = re.search(r"/staff/vetting/(\d+)/approve/", queue)
    if match is None:
        raise SystemExit("smoke: the vetting queue does not list the pending demo interviewer")
    # The queue's button asks first; the confirm page's button decides.
    asked = _post(staff, match.group(0), {}, referer="/staff/vetting/")
    _expect('name="confirmed"' in asked, "approving asks staff to confirm first")
    _post(staff, match.group(0), {"confirmed": "yes"}, referer=match.group(0))
    _wait_for_mail(mail_dir, "approved")


def _book_first_match(candidate: urllib.request.OpenerDirector) -> None:
    """The newcomer's path: the match list, a slot (click 1), "Confirm booking" (click 2)."""
    matches = _get(candidate, "/find/")
    link = re.search(r'href="(/sessions/new/\?[^"]+)"', matches)
    if link is None:
        raise SystemExit("smoke: the demo candidate's match list offers no slot")
    confirm_path = html.unescape(link.group(1))
    confirm = _get(candidate, confirm_path)
    _expect("Confirm booking" in confirm, "a slot opens the confirmation page")
    session = _post(candidate, confirm_path, {}, referer=confirm_path)
    _expect("Mock interview with" in session, "confirming books the session")
    _expect("calendar.ics" in session, "the session page offers the calendar file")


def _read_demo_feedback(candidate: urllib.request.OpenerDirector) -> None:
    """The demo's past sessions: one report open to read, one awaiting the interviewer."""
    sessions = _get(candidate, "/sessions/")
    report = re.search(r'href="(/sessions/\d+/report/)">Report ready', sessions)
    if report is None:
        raise SystemExit("smoke: the sessions list links no ready feedback report")
    _expect(
        "Waiting for your interviewer&#x27;s feedback" in sessions
        or "Review your interviewer" in sessions,
        "a second past session awaits the interviewer's feedback",
    )
    page = _get(candidate, report.group(1))
    _expect("Feedback report" in page, "the candidate reads the demo feedback report")


def _wait_for_health(timeout: float = 90) -> dict[str, str]:
    deadline = time.monotonic() + timeout
    last = "no answer"
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{BASE}/healthz", timeout=5) as response:
                body = json.loads(response.read())
                if body.get("status") == "ok":
                    return dict(body)
                last = str(body)
        except OSError as error:
            last = str(error)
        time.sleep(1)
    raise SystemExit(f"smoke: /healthz never answered ok: {last}")


def _logged_in(email: str) -> urllib.request.OpenerDirector:
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    _get(opener, "/accounts/login/")
    page = _post(
        opener,
        "/accounts/login/",
        {"login": email, "password": "demo-pass-123"},
        referer="/accounts/login/",
    )
    _expect("Log out" in page, f"{email} can log in")
    return opener


def _csrf(opener: urllib.request.OpenerDirector) -> str:
    for handler in opener.handlers:
        if isinstance(handler, urllib.request.HTTPCookieProcessor):
            for cookie in handler.cookiejar:
                if cookie.name == "csrftoken" and cookie.value:
                    return cookie.value
    raise SystemExit("smoke: no CSRF cookie")


def _get(opener: urllib.request.OpenerDirector, path: str) -> str:
    with opener.open(f"{BASE}{path}", timeout=10) as response:
        return str(response.read().decode())


def _post(
    opener: urllib.request.OpenerDirector, path: str, data: dict[str, str], *, referer: str
) -> str:
    body = urllib.parse.urlencode({**data, "csrfmiddlewaretoken": _csrf(opener)}).encode()
    request = urllib.request.Request(
        f"{BASE}{path}", data=body, headers={"Referer": f"{BASE}{referer}"}
    )
    with opener.open(request, timeout=10) as response:
        return str(response.read().decode())


def _wait_for_mail(mail_dir: Path, word: str, timeout: float = 60) -> None:
    started = time.perf_counter()
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for path in mail_dir.glob("*.log") if mail_dir.exists() else []:
            if word in path.read_text(errors="replace"):
                seconds = time.perf_counter() - started
                print(f"the worker wrote the email {word!r} after {seconds:.1f}s: {path.name}")
                return
        time.sleep(0.5)
    raise SystemExit(f"smoke: no email mentioning {word!r} in {mail_dir}")


def _stop(process: subprocess.Popen[bytes]) -> None:
    # What Ctrl-C does in a terminal: SIGINT to the whole process group.
    os.killpg(process.pid, signal.SIGINT)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        raise SystemExit("smoke: honcho did not stop on Ctrl-C within 30s") from None
    try:
        os.killpg(process.pid, 0)
    except ProcessLookupError:
        return
    os.killpg(process.pid, signal.SIGKILL)
    raise SystemExit("smoke: a process outlived Ctrl-C")


def _expect(condition: bool, what: str) -> None:
    if not condition:
        raise SystemExit(f"smoke: expected that {what}")
    print(f"ok: {what}")


if __name__ == "__main__":
    raise SystemExit(main())
