import base64
import secrets

from django.db import migrations, models

import interviews.whiteboard

UNIQUE_INDEX = "interviews_session_whiteboard_url_uniq"


def _whiteboard_url():
    # A copy of interviews.whiteboard.new_whiteboard_url as it was when this ran: a
    # migration must not change meaning when the app's code does.
    room_id = secrets.token_bytes(10).hex()
    key = base64.urlsafe_b64encode(secrets.token_bytes(16)).rstrip(b"=").decode()
    return f"https://excalidraw.com/#room={room_id},{key}"


def fill_whiteboards(apps, schema_editor):
    # One room per existing session: a single default would give them all the same room.
    Session = apps.get_model("interviews", "Session")
    for pk in Session.objects.filter(whiteboard_url__isnull=True).values_list("pk", flat=True):
        Session.objects.filter(pk=pk).update(whiteboard_url=_whiteboard_url())


class MakeWhiteboardUnique(migrations.AlterField):
    """PostgreSQL alters the column in place. SQLite would rebuild the session table, and
    the rebuild would copy the PostgreSQL-only exclusion constraints (see 0001): there a
    unique index says the same, and the column stays nullable in the schema only."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)
        else:
            schema_editor.execute(
                f"CREATE UNIQUE INDEX {UNIQUE_INDEX} ON interviews_session (whiteboard_url)"
            )

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)
        else:
            schema_editor.execute(f"DROP INDEX {UNIQUE_INDEX}")


class Migration(migrations.Migration):
    dependencies = [("interviews", "0006_review_share_comment_on_profile")]

    operations = [
        # Nullable first, so every database adds the column in place; then one room per row.
        migrations.AddField(
            model_name="session",
            name="whiteboard_url",
            field=models.URLField(null=True),
        ),
        migrations.RunPython(fill_whiteboards, migrations.RunPython.noop),
        MakeWhiteboardUnique(
            model_name="session",
            name="whiteboard_url",
            field=models.URLField(default=interviews.whiteboard.new_whiteboard_url, unique=True),
        ),
    ]
