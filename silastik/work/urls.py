from django.urls import path

from . import views

app_name = "work"

urlpatterns = [
    path("", views.home, name="home"),
    path("pemberitahuan/", views.notifications, name="notifications"),
    path("pemberitahuan/dibaca/", views.notifications_read, name="notifications_read"),
    path("pemberitahuan/<int:pk>/", views.notification_go, name="notification_go"),
]
