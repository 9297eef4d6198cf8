from django.urls import path

from . import report_views

app_name = "ikm"

urlpatterns = [
    path("", report_views.analysis, name="analysis"),
    path("kirim/", report_views.report_send_view, name="send"),
    path("terkirim/", report_views.reports, name="reports"),
    path("terkirim/<int:pk>/", report_views.report_pdf, name="report_pdf"),
]
