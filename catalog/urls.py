from django.urls import path

from . import views

app_name = "catalog"

urlpatterns = [
    path("", views.catalog_list, name="list"),
    path("<slug:slug>/", views.product_detail, name="detail"),
    path("<slug:slug>/variabel/", views.dataset_variables, name="variables"),
    path(
        "<slug:slug>/variabel/<int:variable_id>/label/",
        views.variable_categories,
        name="categories",
    ),
    path("<slug:slug>/pilihan/", views.selection_update, name="selection"),
]
