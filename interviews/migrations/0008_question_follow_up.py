import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("interviews", "0007_session_whiteboard_url")]

    operations = [
        migrations.CreateModel(
            name="FollowUp",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("phase", models.CharField(choices=[("functional-spec", "Functional Spec"), ("technical-spec", "Technical Spec"), ("going-deep", "Going Deep"), ("extra-mile", "Extra Mile: launch"), ("communication", "Communication")], max_length=20)),
                ("position", models.PositiveSmallIntegerField(default=0)),
                ("text", models.TextField()),
                ("question", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="follow_ups", to="interviews.question")),
            ],
            options={
                "ordering": ["question", "position", "pk"],
                "constraints": [models.CheckConstraint(condition=models.Q(("phase__in", ["functional-spec", "technical-spec", "going-deep", "extra-mile", "communication"])), name="follow_up_phase"), models.CheckConstraint(condition=models.Q(("text", ""), _negated=True), name="follow_up_text_written")],
            },
        ),
    ]
