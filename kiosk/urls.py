from django.urls import path

from . import views

app_name = "kiosk"

urlpatterns = [
    path("", views.guest_book, name="guest_book"),
    path("tiket/", views.ticket, name="ticket"),
]
