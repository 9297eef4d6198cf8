"""The office of every desk row is required, once 0002 gave the rows made before offices
existed to the installation's office; tickets, counters and contacts are unique per office.
(A migration of its own: PostgreSQL does not alter a table whose rows the same transaction just
changed.)"""

import django.db.models.deletion
import django.db.models.functions.text
from django.db import migrations, models

RELATED_NAMES = {
    "desk": "desks",
    "ticketcounter": "+",
    "visitor": "desk_visitors",
    "visit": "desk_visits",
}


class Migration(migrations.Migration):
    dependencies = [("desk", "0002_office")]

    operations = [
        *[
            migrations.AlterField(
                model_name=model,
                name="office",
                field=models.ForeignKey(
                    on_delete=django.db.models.deletion.PROTECT,
                    related_name=related,
                    to="offices.office",
                    verbose_name="office",
                ),
            )
            for model, related in RELATED_NAMES.items()
        ],
        migrations.AlterField(
            model_name="desk",
            name="number",
            field=models.PositiveSmallIntegerField(verbose_name="number"),
        ),
        migrations.AddIndex(
            model_name="visit",
            index=models.Index(
                fields=["office", "day", "status", "issued_at"], name="desk_visit_queue_idx"
            ),
        ),
        migrations.AddIndex(
            model_name="visitor",
            index=models.Index(
                models.F("office"),
                django.db.models.functions.text.Lower("email"),
                name="desk_visitor_email_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="visitor",
            index=models.Index(fields=["office", "phone"], name="desk_visitor_phone_idx"),
        ),
        migrations.AddConstraint(
            model_name="desk",
            constraint=models.UniqueConstraint(
                fields=("office", "number"), name="desk_desk_office_number"
            ),
        ),
        migrations.AddConstraint(
            model_name="ticketcounter",
            constraint=models.UniqueConstraint(
                fields=("office", "day", "service"), name="desk_counter_office_day_service"
            ),
        ),
        migrations.AddConstraint(
            model_name="visit",
            constraint=models.UniqueConstraint(
                fields=("office", "day", "service", "number"), name="desk_visit_ticket_unique"
            ),
        ),
    ]
