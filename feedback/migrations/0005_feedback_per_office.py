"""Complaints are addressed to an office, ratings belong to the office whose service was rated,
and IKM reports are an office's. Rows made before offices existed go to the office of their order
where there is one, else to the one office the installation served (OFFICE_CODE, see
offices/upgrade.py). The columns become required in 0006: PostgreSQL cannot alter a table in the
transaction that has just updated its rows' foreign keys ("pending trigger events")."""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery

from offices.upgrade import upgrade_office


def feedback_to_offices(apps, schema_editor):
    Order = apps.get_model("orders", "Order")
    Visit = apps.get_model("desk", "Visit")
    Complaint = apps.get_model("feedback", "Complaint")
    Rating = apps.get_model("feedback", "Rating")
    IkmReport = apps.get_model("feedback", "IkmReport")
    of_order = Subquery(Order.objects.filter(pk=OuterRef("order_id")).values("office_id")[:1])
    Complaint.objects.filter(order__office__isnull=False).update(office=of_order)
    Rating.objects.filter(order__office__isnull=False).update(office=of_order)
    # A kiosk rating of a desk visit that led to an order: the order's office served it.
    Rating.objects.filter(office__isnull=True, visit__order__office__isnull=False).update(
        office=Subquery(Visit.objects.filter(pk=OuterRef("visit_id")).values("order__office")[:1])
    )
    for model in (Complaint, Rating, IkmReport):
        rest = model.objects.filter(office__isnull=True)
        if rest.exists():
            rest.update(office=upgrade_office(apps))


def office_field(related_name: str) -> models.ForeignKey:
    return models.ForeignKey(
        null=True,
        on_delete=django.db.models.deletion.PROTECT,
        related_name=related_name,
        to="offices.office",
        verbose_name="office",
    )


FIELDS = [("complaint", "complaints"), ("rating", "ratings"), ("ikmreport", "ikm_reports")]


class Migration(migrations.Migration):
    dependencies = [
        ("desk", "0001_initial"),
        ("feedback", "0004_walk_in"),
        ("offices", "0004_number_sequence"),
        ("orders", "0005_order_office"),
    ]

    operations = [
        *(
            migrations.AddField(model_name=model, name="office", field=office_field(name))
            for model, name in FIELDS
        ),
        migrations.RunPython(feedback_to_offices, migrations.RunPython.noop),
    ]
