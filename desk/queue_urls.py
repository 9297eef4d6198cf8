from django.urls import path

from . import queue_views

app_name = "queue"

urlpatterns = [
    path("", queue_views.offices, name="offices"),
    path("<str:code>/", queue_views.display, name="display"),
    path("<str:code>/papan/", queue_views.board, name="board"),
]
