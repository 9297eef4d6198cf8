from django.urls import path

from . import queue_views

app_name = "queue"

urlpatterns = [
    path("", queue_views.display, name="display"),
    path("papan/", queue_views.board, name="board"),
]
