from django.urls import path

from . import views

app_name = "complaints"

urlpatterns = [
    path("", views.complaint_new, name="new"),
    path("terima-kasih/", views.complaint_thanks, name="thanks"),
    path("lacak/", views.complaint_lookup, name="lookup"),
    path("saya/", views.complaint_mine, name="mine"),
    path("<str:code>/", views.complaint_status, name="status"),
]
