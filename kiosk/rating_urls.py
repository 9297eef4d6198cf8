from django.urls import path

from . import rating_views as views

app_name = "kiosk_rating"

urlpatterns = [
    path("", views.start, name="start"),
    path("kirim/", views.submit, name="submit"),
    path("terima-kasih/", views.thanks, name="thanks"),
]
