from django.urls import path

from . import views

app_name = "orders"

urlpatterns = [
    path("", views.order_list, name="list"),
    path("keranjang/", views.cart_view, name="cart"),
    path("keranjang/tambah/<int:product_id>/", views.cart_add, name="cart_add"),
    path("keranjang/hapus/<int:line_id>/", views.cart_remove, name="cart_remove"),
    path("<int:pk>/", views.order_detail, name="detail"),
    path("<int:pk>/<slug:action>/", views.order_act, name="act"),
    path("unduh/<str:token>/", views.download, name="download"),
]
