from django.urls import path

from . import report_views

app_name = "desk_reports"

urlpatterns = [
    path("", report_views.day, name="day"),
]
