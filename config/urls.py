from __future__ import annotations

from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from accounts import api as accounts_api
from config import views
from notifications import api as notifications_api
from studyplans import api as studyplans_api

api_v1: list[URLPattern | URLResolver] = [
    path("auth/token/", accounts_api.ObtainToken.as_view(), name="api_token"),
    path("me/", accounts_api.Me.as_view(), name="api_me"),
    path(
        "me/notifications/",
        notifications_api.MyNotifications.as_view(),
        name="api_me_notifications",
    ),
    path("skill-areas/", accounts_api.SkillAreaList.as_view(), name="api_skill_areas"),
    path("", include("interviews.api_urls")),
    path("study-plan/", studyplans_api.StudyPlanView.as_view(), name="api_study_plan"),
    path(
        "study-plan/items/<int:item_id>/",
        studyplans_api.StudyPlanItemView.as_view(),
        name="api_study_plan_item",
    ),
]

urlpatterns = [
    path("", include("accounts.urls")),
    path("", include("interviews.urls")),
    path("", include("studyplans.urls")),
    path("", include("notifications.urls")),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
    path("healthz", views.healthz, name="healthz"),
    path("api/v1/", include(api_v1)),
    path("api/schema/", SpectacularAPIView.as_view(), name="api_schema"),
    # The split view serves Swagger UI's settings as a script file, not an inline script,
    # so the docs page lives under the same nonce-based Content-Security-Policy.
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api_schema"), name="api_docs"),
    # Last: whatever else is under /api/ answers the API's JSON 404, under DEBUG too.
    path("api/", views.api_not_found, name="api_root_not_found"),
    path("api/<path:unknown>", views.api_not_found, name="api_not_found"),
]

handler400 = "config.views.bad_request"
handler404 = "config.views.not_found"
handler500 = "config.views.server_failure"
