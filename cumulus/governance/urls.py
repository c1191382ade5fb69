from django.urls import path

from cumulus.governance import views

app_name = "governance"

urlpatterns = [
    path("", views.reports, name="reports"),
    path("<int:report_id>/", views.report_detail, name="report"),
    path("<int:report_id>/pdf/", views.report_pdf, name="report-pdf"),
    path("<int:report_id>/xlsx/", views.report_xlsx, name="report-xlsx"),
]
