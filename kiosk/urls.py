from django.urls import path

from . import views

app_name = "kiosk"

urlpatterns = [
    path("", views.offices, name="offices"),
    path("nilai/", views.rating_offices, name="rating_offices"),
    path("<str:code>/", views.guest_book, name="guest_book"),
    path("<str:code>/tiket/", views.ticket, name="ticket"),
]
