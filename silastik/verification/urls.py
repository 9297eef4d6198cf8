from django.urls import path

from . import views

app_name = "verification"
urlpatterns = [
    path("", views.check, name="form"),
    path("<str:code>/", views.check, name="check"),
]
