from django.db import migrations
from django.utils import timezone

# Rubric version 1 (SPEC §4): each criterion belongs to one phase and one skill area, and
# says in one line, in our words, what a 1, 2, 3 and 4 look like for that criterion. The
# scale behind them: 1 not shown, 2 partly with heavy prodding, 3 solid with light
# prompting, 4 strong and unprompted. Published at once; staff publish later versions in
# the admin, and feedback keeps the version it was written against.
#
# (phase, skill area, text, level 1, level 2, level 3, level 4)
CRITERIA = [
    (
        "functional-spec",
        "requirements",
        "Use cases and scope",
        "Starts drawing boxes without asking who the users are or what is in scope.",
        "Lists some use cases once asked; scope stays fuzzy or a core flow is missed.",
        "Names the users, the core use cases and what is out of scope, after a nudge or two.",
        "Pins down users, core use cases and explicit non-goals unprompted, and confirms them.",
    ),
    (
        "functional-spec",
        "estimation",
        "Non-functional needs and scale estimate",
        "No latency, availability or scale figures: the design is sized by guesswork.",
        "Gives numbers only when pushed, off by orders of magnitude or never used later.",
        "States the key non-functional needs and a sound traffic and storage estimate.",
        "Derives QPS, storage and latency budgets unprompted and lets them drive the design.",
    ),
    (
        "technical-spec",
        "high-level-design",
        "Components and data flow",
        "No coherent picture of the components or of how a request travels through them.",
        "Boxes appear, but what each does or how data flows stays unclear until walked through.",
        "A clear set of components and the path of the main requests; small gaps filled on a hint.",
        "A clean, justified decomposition, with each core use case walked through end to end.",
    ),
    (
        "technical-spec",
        "data-modeling",
        "Data model",
        "No entities, keys or choice of store named.",
        "Main entities named when asked; keys, relations or the store ignore the access patterns.",
        "Entities, keys and a fitting store chosen from the access patterns, with a hint or two.",
        "Entities, keys, indexes and partitioning derived from the access patterns, store justified.",
    ),
    (
        "technical-spec",
        "api-design",
        "API surface",
        "No API defined, or only vague verbs (\"it calls the backend\").",
        "Some endpoints once asked, with missing parameters, errors or inconsistent shapes.",
        "The core endpoints with parameters and responses that cover the use cases.",
        "A consistent API covering every use case, with pagination, errors and idempotency.",
    ),
    (
        "going-deep",
        "scalability",
        "Picks the critical problems",
        "Cannot say which part of the design breaks first as load grows.",
        "Goes deep only where pointed, or on a part that does not matter at this scale.",
        "Finds the main bottleneck and spends the time there, after a prompt to prioritise.",
        "Ranks the risks by impact unprompted, takes the worst first, says why the rest can wait.",
    ),
    (
        "going-deep",
        "api-design",
        "Specifies one piece in depth",
        "Stays at the level of boxes: nothing is specified precisely enough to build.",
        "Adds detail when pushed, leaving gaps a builder would guess at (parameters, paging).",
        "One piece specified well enough to hand over; small gaps filled on a prompt.",
        "One piece specified end to end (parameters, pagination, client merge, failures) unasked.",
    ),
    (
        "going-deep",
        "reliability",
        "Names and weighs tradeoffs",
        "Presents one option as the only way; no alternative or cost is named.",
        "Names alternatives when asked but cannot say when each one wins.",
        "Compares the main options on what matters here and picks one, with light prompting.",
        "Weighs options against the requirements and failure modes unprompted, then commits.",
    ),
    (
        "going-deep",
        "concurrency",
        "Concurrency and consistency under load",
        "Does not notice races, duplicate writes or stale reads.",
        "Sees a race or a stale read once pointed at it; the fix stays vague.",
        "Finds the main races and picks a fitting fix (locks, transactions, idempotency keys).",
        "Spots races unprompted and states the guarantee each choice gives under load and failure.",
    ),
    (
        "extra-mile",
        "operability",
        "Testability and maintainability",
        "Nothing on testing or on how the system stays easy to change.",
        "\"We would write tests\" when asked, with no plan for what or how.",
        "A sensible test approach and what would make this design hard to extend, after a prompt.",
        "A test strategy per layer and this design's extension risks, raised unprompted.",
    ),
    (
        "extra-mile",
        "operability",
        "Deployment, alerts and on-call",
        "No thought about deploying, monitoring or running the system.",
        "\"Add monitoring\" when asked: generic metrics, no alerts, no rollout plan.",
        "A safe rollout, the key metrics and alerts, and what the on-call document says.",
        "Alerts tied to SLOs, a staged rollout with rollback and a runbook for likely failures.",
    ),
    (
        "communication",
        "communication",
        "Structure and driving the discussion",
        "Waits to be led: the interviewer has to set every step.",
        "Moves forward only with frequent steering; the discussion wanders or stalls.",
        "Follows a clear structure and keeps the interviewer in the loop; steered now and then.",
        "Drives the session: sets the agenda, keeps time, checks in and sums up decisions.",
    ),
    (
        "communication",
        "communication",
        "Handling challenges",
        "Ignores or brushes off pushback, or drops the design at the first question.",
        "Acknowledges a challenge but caves or digs in without reasons.",
        "Engages with pushback and adjusts or defends the design with reasons, with some help.",
        "Invites challenges, reasons through them aloud and adapts or defends convincingly.",
    ),
]


def add_rubric_version_1(apps, schema_editor):
    RubricVersion = apps.get_model("interviews", "RubricVersion")
    Criterion = apps.get_model("interviews", "Criterion")
    SkillArea = apps.get_model("accounts", "SkillArea")
    areas = {area.slug: area for area in SkillArea.objects.all()}
    version, created = RubricVersion.objects.get_or_create(
        number=1,
        defaults={"published_at": timezone.now(), "notes": "The default rubric of SPEC §4."},
    )
    if not created:
        return  # published versions never change; staff edits to a draft 1 are kept
    Criterion.objects.bulk_create(
        Criterion(
            rubric=version,
            phase=phase,
            skill_area=areas[area],
            text=text,
            level_1=level_1,
            level_2=level_2,
            level_3=level_3,
            level_4=level_4,
            position=position,
        )
        for position, (phase, area, text, level_1, level_2, level_3, level_4) in enumerate(
            CRITERIA, start=1
        )
    )


class Migration(migrations.Migration):
    dependencies = [("interviews", "0003_feedback"), ("accounts", "0002_skill_areas")]

    operations = [migrations.RunPython(add_rubric_version_1, migrations.RunPython.noop)]
