"""The public tariff table (/catalog/tarif/): what staff show a visitor at the desk."""

from django.shortcuts import render
from django.views.decorators.http import require_GET

from .tariff_table import tariff_table


@require_GET
def tariffs(request):
    return render(request, "catalog/tariffs.html", {"table": tariff_table()})
