from django.urls import path

from . import kiosk_views

app_name = "kiosk_rating"

urlpatterns = [
    path("", kiosk_views.start, name="start"),
    path("kirim/", kiosk_views.submit, name="submit"),
    path("terima-kasih/", kiosk_views.thanks, name="thanks"),
]
