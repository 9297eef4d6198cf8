"""Payments get the day the money arrived (value date); those made before were booked by the
moment they were confirmed or paid, on the portal's calendar (WIB), so that is their value date."""

from zoneinfo import ZoneInfo

from django.db import migrations, models

WIB = ZoneInfo("Asia/Jakarta")


def value_dates_from_payments(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":  # one statement for any number of rows
        schema_editor.execute(
            "UPDATE billing_payment SET value_date = (paid_at AT TIME ZONE 'Asia/Jakarta')::date "
            "WHERE value_date IS NULL AND paid_at IS NOT NULL"
        )
        return
    Payment = apps.get_model("billing", "Payment")
    paid = Payment.objects.filter(value_date__isnull=True, paid_at__isnull=False)
    for payment in paid.only("pk", "paid_at").iterator():
        Payment.objects.filter(pk=payment.pk).update(
            value_date=payment.paid_at.astimezone(WIB).date()
        )


class Migration(migrations.Migration):
    dependencies = [("billing", "0004_verbose_names")]

    operations = [
        migrations.AddField(
            model_name="payment",
            name="value_date",
            field=models.DateField(blank=True, null=True, verbose_name="value date"),
        ),
        migrations.RunPython(value_dates_from_payments, migrations.RunPython.noop),
    ]
