from django.urls import path

from . import kiosk_views

app_name = "kiosk"

urlpatterns = [
    path("", kiosk_views.guest_book, name="guest_book"),
    path("tiket/", kiosk_views.ticket, name="ticket"),
]
