from django.db import migrations

# SPEC §3: the slugs are part of the API; names and descriptions may be edited by staff.
SKILL_AREAS = [
    ("requirements", "Requirements", "Users, use cases, scope, what is in and out."),
    ("estimation", "Estimation", "Non-functional needs and back-of-the-envelope scale."),
    ("high-level-design", "High-level design", "Components and how data flows between them."),
    ("api-design", "API design", "Endpoints, parameters, pagination, how clients merge results."),
    ("data-modeling", "Data modeling", "Entities, keys, access patterns, storage choices."),
    ("scalability", "Scalability", "Finding the bottleneck and scaling the critical piece."),
    ("caching", "Caching", "What to cache, where, and how it stays correct."),
    ("concurrency", "Concurrency", "Races, consistency and correctness under load."),
    ("real-time", "Real-time", "Push, feeds, websockets versus polling."),
    ("reliability", "Reliability", "Failure modes, redundancy, and weighing tradeoffs."),
    ("operability", "Operability", "Testing, deployment, monitoring, alerts and on-call."),
    ("communication", "Communication", "Structuring the session and driving the discussion."),
]


def add_skill_areas(apps, schema_editor):
    SkillArea = apps.get_model("accounts", "SkillArea")
    for position, (slug, name, description) in enumerate(SKILL_AREAS, start=1):
        SkillArea.objects.update_or_create(
            slug=slug, defaults={"name": name, "description": description, "position": position}
        )


def name_the_site(apps, schema_editor):
    # allauth names the site in its emails; "example.com" would confuse people.
    Site = apps.get_model("sites", "Site")
    Site.objects.update_or_create(pk=1, defaults={"domain": "mockloop.test", "name": "Mockloop"})


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial"), ("sites", "0002_alter_domain_unique")]

    operations = [
        migrations.RunPython(add_skill_areas, migrations.RunPython.noop),
        migrations.RunPython(name_the_site, migrations.RunPython.noop),
    ]
