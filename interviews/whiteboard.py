"""The collaborative whiteboard of a session: an Excalidraw room made once, at booking.

Excalidraw's own collaboration links are `https://excalidraw.com/#room=<room id>,<key>`:
the id is 10 random bytes in hex (20 characters) and the key an AES-GCM 128-bit key as a
JWK `k` (16 bytes in base64url without padding, 22 characters). The key stays in the URL
fragment, which browsers never send, so Excalidraw's servers only hold the drawing
encrypted. Kept apart from `interviews.room` because the model's default imports it.
"""

from __future__ import annotations

import base64
import secrets

WHITEBOARD_BASE = "https://excalidraw.com/#room="


def new_whiteboard_url() -> str:
    room_id = secrets.token_bytes(10).hex()
    key = base64.urlsafe_b64encode(secrets.token_bytes(16)).rstrip(b"=").decode()
    return f"{WHITEBOARD_BASE}{room_id},{key}"
