"""Each office has its own walk-in desk: its counters, guest book, tickets and visits. What an
installation had before offices existed was the one office's (offices/upgrade.py, as for
orders and the catalog); the networks of its entrance tablets (the former KIOSK_NETWORKS
variable) become that office's."""

import os

import django.db.models.deletion
from django.db import migrations, models

from offices.upgrade import upgrade_office

MODELS = ("Desk", "TicketCounter", "Visitor", "Visit")


def desk_to_the_office(apps, schema_editor):
    rows = [apps.get_model("desk", name).objects.filter(office__isnull=True) for name in MODELS]
    networks = os.environ.get("KIOSK_NETWORKS", "").strip()
    if not networks and not any(queryset.exists() for queryset in rows):
        return  # a new installation: nothing to move
    office = upgrade_office(apps)  # made here if no earlier migration needed it
    for queryset in rows:
        queryset.update(office=office)
    if networks and not office.kiosk_networks:
        office.kiosk_networks = "\n".join(part.strip() for part in networks.split(",") if part)
        office.save(update_fields=["kiosk_networks"])


RELATED_NAMES = {
    "desk": "desks",
    "ticketcounter": "+",
    "visitor": "desk_visitors",
    "visit": "desk_visits",
}


class Migration(migrations.Migration):
    dependencies = [
        ("desk", "0001_initial"),
        ("offices", "0004_number_sequence"),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="ticketcounter", name="desk_counter_day_service"),
        migrations.RemoveConstraint(model_name="visit", name="desk_visit_ticket_unique"),
        migrations.RemoveIndex(model_name="visit", name="desk_visit_queue_idx"),
        migrations.RemoveIndex(model_name="visitor", name="desk_visitor_email_idx"),
        migrations.RemoveIndex(model_name="visitor", name="desk_visitor_phone_idx"),
        *[
            migrations.AddField(
                model_name=model,
                name="office",
                field=models.ForeignKey(
                    null=True,
                    on_delete=django.db.models.deletion.PROTECT,
                    related_name=related,
                    to="offices.office",
                    verbose_name="office",
                ),
            )
            for model, related in RELATED_NAMES.items()
        ],
        migrations.RunPython(desk_to_the_office, migrations.RunPython.noop),
    ]
