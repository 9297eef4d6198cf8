from django.urls import path

from . import views
from .conversations import views as conversation_views

app_name = "orders"

urlpatterns = [
    path("", views.order_list, name="list"),
    path("keranjang/", views.cart_view, name="cart"),
    path("keranjang/tambah/<int:product_id>/", views.cart_add, name="cart_add"),
    path("keranjang/hapus/<int:line_id>/", views.cart_remove, name="cart_remove"),
    path("percakapan/", conversation_views.conversation_list, name="conversations"),
    path("percakapan/baru/", conversation_views.conversation_new, name="conversation_new"),
    path("percakapan/<int:pk>/", conversation_views.conversation_detail, name="conversation"),
    path(
        "percakapan/<int:pk>/lampiran/<int:message_pk>/",
        conversation_views.attachment_download,
        name="conversation_attachment",
    ),
    path("<int:pk>/", views.order_detail, name="detail"),
    path("<int:pk>/pesan/", conversation_views.order_message, name="order_message"),
    path("<int:pk>/<slug:action>/", views.order_act, name="act"),
    path("unduh/<str:token>/", views.download, name="download"),
]
