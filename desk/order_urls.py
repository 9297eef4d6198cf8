from django.urls import path

from . import order_views as views
from . import picker_views

app_name = "desk_orders"

urlpatterns = [
    path("mulai/<int:visit_id>/", views.start, name="start"),
    path("<int:visit_id>/", views.detail, name="detail"),
    path("<int:visit_id>/keranjang/", views.cart, name="cart"),
    path("<int:visit_id>/tambah/<int:product_id>/", views.cart_add, name="cart_add"),
    path("<int:visit_id>/hapus/<int:line_id>/", views.cart_remove, name="cart_remove"),
    # Chosen variables and regions of a dataset, single areas of a regency map.
    path("<int:visit_id>/pilih/<int:product_id>/", picker_views.pick, name="pick"),
    path(
        "<int:visit_id>/pilih/<int:product_id>/ubah/", picker_views.pick_update, name="pick_update"
    ),
    path("<int:visit_id>/pilih/<int:product_id>/tambah/", picker_views.pick_add, name="pick_add"),
    path("<int:visit_id>/konsultasi/", views.consultation, name="consultation"),
]
