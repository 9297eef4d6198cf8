from django.urls import path

from . import views

app_name = "feedback"

urlpatterns = [
    path("pesanan/<int:pk>/", views.rate, name="rate"),
    path("pesanan/<int:pk>/jawab/", views.answer, name="answer"),
]
