from django.urls import path

from . import views

app_name = "desk"

urlpatterns = [
    path("", views.desk_page, name="desk"),
    path("panel/", views.desk_panel, name="panel"),
    path("pilih/", views.desk_choose, name="choose"),
    path("panggil/", views.desk_call, name="call"),
    path("kunjungan/<int:pk>/batal-tidak-hadir/", views.desk_absent_undo, name="absent_undo"),
    path("kunjungan/<int:pk>/<slug:move>/", views.desk_act, name="act"),
]
