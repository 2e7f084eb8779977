from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from accounts.models import SkillArea


class ResourceKind(models.TextChoices):
    BOOK = "book", "Book"
    TALK = "talk", "Talk"
    PAPER = "paper", "Paper"
    ARTICLE = "article", "Article"
    COURSE = "course", "Course"


class Resource(models.Model):
    """One entry of the study catalogue (SPEC §8): staff edit it in the admin."""

    title = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=10, choices=ResourceKind.choices)
    url = models.URLField(max_length=300)
    author = models.CharField(max_length=200, blank=True)
    description = models.CharField(
        max_length=240, help_text="Our own one line: what the reader gets from it."
    )
    skill_areas = models.ManyToManyField(SkillArea, related_name="resources")
    hours = models.DecimalField(
        max_digits=4, decimal_places=1, help_text="Estimated hours to read or watch it properly."
    )
    # Retired entries stay for the plans that hold them, but are never picked again.
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(hours__gt=0, hours__lte=200), name="resource_hours_range"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=ResourceKind.values), name="resource_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class StudyPlan(models.Model):
    """A candidate's one active plan, remade in place (SPEC §8).

    `weakness` is the snapshot the plan was made from, weakest first, as
    `studyplans.weakness.rank_areas` returned it: the reasons on the items quote it, so the
    numbers the candidate reads beside the plan are the ones that shaped it, and booking and
    matching read the weakest areas from here (one row) instead of recomputing them from
    the whole feedback history inside booking's locked transaction.
    """

    candidate = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="study_plan"
    )
    weakness = models.JSONField(default=list, blank=True)
    # The Monday (candidate's local calendar) of the plan's first week.
    starts_on = models.DateField()
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Study plan of {self.candidate}"

    @property
    def weakest_areas(self) -> list[str]:
        return [entry["skill_area"] for entry in self.weakness[:3]]


class ItemKind(models.TextChoices):
    RESOURCE = "resource", "Study"
    PRACTICE = "practice", "Practice interview"


class ItemStatus(models.TextChoices):
    TODO = "todo", "To do"
    DOING = "doing", "In progress"
    DONE = "done", "Done"
    SKIPPED = "skipped", "Skipped"


class PlanItem(models.Model):
    plan = models.ForeignKey(StudyPlan, on_delete=models.CASCADE, related_name="items")
    kind = models.CharField(max_length=10, choices=ItemKind.choices, default=ItemKind.RESOURCE)
    resource = models.ForeignKey(
        Resource, null=True, blank=True, on_delete=models.PROTECT, related_name="plan_items"
    )
    # The weak area the item was picked for; none for a practice interview.
    skill_area = models.ForeignKey(
        SkillArea, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.CharField(max_length=300)
    status = models.CharField(max_length=10, choices=ItemStatus.choices, default=ItemStatus.TODO)
    # The Monday (candidate's local calendar) of the week the item is planned for.
    week_start = models.DateField()
    position = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    status_changed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["week_start", "position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=ItemStatus.values), name="plan_item_status_valid"
            ),
            models.CheckConstraint(
                condition=(
                    Q(kind=ItemKind.RESOURCE, resource__isnull=False, skill_area__isnull=False)
                    | Q(kind=ItemKind.PRACTICE, resource__isnull=True)
                ),
                name="plan_item_shape",
            ),
            # A resource appears once in a plan, whatever its status: done stays done.
            models.UniqueConstraint(
                fields=["plan", "resource"],
                condition=Q(resource__isnull=False),
                name="plan_item_resource_once",
            ),
            # At most one open "book your next practice interview" at a time.
            models.UniqueConstraint(
                fields=["plan"],
                condition=Q(kind=ItemKind.PRACTICE, status__in=["todo", "doing"]),
                name="plan_item_one_open_practice",
            ),
        ]

    def __str__(self) -> str:
        return self.resource.title if self.resource else "Book your next practice interview"


class AppliedFeedback(models.Model):
    """A revealed feedback the candidate's plan was remade for: running again changes nothing.

    Submitted feedback rows are immutable (database triggers), so the marker lives here.
    """

    feedback = models.OneToOneField(
        "interviews.Feedback", on_delete=models.CASCADE, related_name="+"
    )
    plan = models.ForeignKey(StudyPlan, on_delete=models.CASCADE, related_name="applied")
    applied_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Feedback {self.feedback_id} applied to plan {self.plan_id}"
