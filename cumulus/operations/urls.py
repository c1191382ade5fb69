from django.urls import path

from cumulus.operations import views

app_name = "operations"

# /healthz, /readyz and /metrics sit at the root (probes and scrapers expect them there); they
# are included from cumulus.config.urls with an empty prefix, before the web pages.
urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("readyz", views.readyz, name="readyz"),
    path("metrics", views.metrics_view, name="metrics"),
    path("operations/tasks/", views.task_status, name="tasks"),
]
