from django.urls import path

from . import tariff_views, views

app_name = "catalog"

urlpatterns = [
    path("", views.catalog_list, name="list"),
    # Before the products' slugs: "tarif" is the tariff table, not a product.
    path("tarif/", tariff_views.tariffs, name="tariffs"),
    path("<slug:slug>/", views.product_detail, name="detail"),
    path("<slug:slug>/variabel/", views.dataset_variables, name="variables"),
    path(
        "<slug:slug>/variabel/<int:variable_id>/label/",
        views.variable_categories,
        name="categories",
    ),
    path("<slug:slug>/pilihan/", views.selection_update, name="selection"),
]
