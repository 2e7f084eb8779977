"""A mail server for the worker processes that tests/notifications/test_faults.py starts.

Each message becomes one file, so the test counts what was sent per notification (by its
Message-ID) whichever process sent it. Before the pause that stands for a slow SMTP
conversation it leaves a "sending" marker, so the test knows when a worker is inside a
send (to kill it there, or to see that two workers sent at once).
"""

from __future__ import annotations

import os
import time
import uuid
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from django.core.mail import EmailMessage
from django.core.mail.backends.base import BaseEmailBackend

SENDING = "sending"
SENT = "sent"


class SlowFileBackend(BaseEmailBackend):
    def __init__(self, *, directory: str, pause: float = 0.0, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.directory = Path(directory)
        self.pause = pause
        for folder in (SENDING, SENT):
            (self.directory / folder).mkdir(parents=True, exist_ok=True)

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        for message in email_messages:
            self._send(message)
        return len(email_messages)

    def _send(self, message: EmailMessage) -> None:
        mime = message.message()
        # The process id in the name says which worker sent it.
        name = f"{os.getpid()}-{uuid.uuid4().hex}"
        self._write(SENDING, name, str(mime["Message-ID"]).encode())
        time.sleep(self.pause)
        self._write(SENT, f"{name}.eml", mime.as_bytes())

    def _write(self, folder: str, name: str, content: bytes) -> None:
        # Written aside, then renamed: the test never reads half a file, and a worker
        # killed mid-write leaves nothing it would count.
        unfinished = self.directory / f"{name}.unfinished"
        unfinished.write_bytes(content)
        unfinished.rename(self.directory / folder / name)
