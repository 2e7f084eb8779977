from django.db import migrations, models


def fill_expertise_slugs(apps, schema_editor):
    from accounts.expertise import refresh

    refresh(model=apps.get_model("accounts", "InterviewerProfile"))


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0006_vetting_decision_history"),
    ]

    operations = [
        migrations.AddField(
            model_name="interviewerprofile",
            name="expertise_slugs",
            field=models.CharField(blank=True, default="", editable=False, max_length=1000),
        ),
        migrations.RunPython(fill_expertise_slugs, migrations.RunPython.noop),
    ]
