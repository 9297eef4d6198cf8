"""Every complaint, rating and IKM report has its office (filled in by 0005); the monthly report
is sent once per office and month."""

import django.db.models.deletion
from django.db import migrations, models

FIELDS = [("complaint", "complaints"), ("rating", "ratings"), ("ikmreport", "ikm_reports")]


class Migration(migrations.Migration):
    dependencies = [("feedback", "0005_feedback_per_office")]

    operations = [
        *(
            migrations.AlterField(
                model_name=model,
                name="office",
                field=models.ForeignKey(
                    on_delete=django.db.models.deletion.PROTECT,
                    related_name=name,
                    to="offices.office",
                    verbose_name="office",
                ),
            )
            for model, name in FIELDS
        ),
        migrations.AddIndex(
            model_name="complaint",
            index=models.Index(
                fields=["office", "created_at"], name="feedback_complaint_office_idx"
            ),
        ),
        migrations.AddIndex(
            model_name="rating",
            index=models.Index(fields=["office", "created_at"], name="feedback_rating_office_idx"),
        ),
        migrations.RemoveConstraint(model_name="ikmreport", name="feedback_report_monthly_once"),
        migrations.AddConstraint(
            model_name="ikmreport",
            constraint=models.UniqueConstraint(
                condition=models.Q(("automatic", True)),
                fields=("office", "start", "end"),
                name="feedback_report_monthly_once_per_office",
            ),
        ),
    ]
