from datetime import date

from django.db import migrations

# PP 13/2024, read from a regional PST's public price list (domain.md).
TARIFFS = {
    "publication_first": 50_000,
    "publication_next": 15_000,
    "microdata_first": 20_000,
    "microdata_next": 20,
    "processed_first": 22_000,
    "processed_next": 22,
    "map_regency_subdistrict": 30_000,
    "map_regency_village": 70_000,
    "map_national_subdistrict": 12_000_000,
    "map_national_village": 36_000_000,
}
VALID_FROM = date(2024, 1, 1)


def search_index_create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS catalog_product_search_gin "
            "ON catalog_product USING gin (search_document)"
        )


def search_index_drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS catalog_product_search_gin")


def tariffs_seed(apps, schema_editor):
    Tariff = apps.get_model("catalog", "Tariff")
    for item, amount in TARIFFS.items():
        Tariff.objects.get_or_create(
            item=item, valid_from=VALID_FROM, defaults={"amount": amount, "regulation": "PP 13/2024"}
        )


def tariffs_unseed(apps, schema_editor):
    apps.get_model("catalog", "Tariff").objects.filter(valid_from=VALID_FROM).delete()


class Migration(migrations.Migration):
    dependencies = [("catalog", "0001_initial")]
    operations = [
        migrations.RunPython(search_index_create, search_index_drop),
        migrations.RunPython(tariffs_seed, tariffs_unseed),
    ]
