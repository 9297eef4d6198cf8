# The PP 13/2024 tariffs are seeded by catalog.services.tariffs_seed_if_empty after migrate.
from django.db import migrations


def search_index_create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS catalog_product_search_gin "
            "ON catalog_product USING gin (search_document)"
        )


def search_index_drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS catalog_product_search_gin")


class Migration(migrations.Migration):
    dependencies = [("catalog", "0001_initial")]
    operations = [
        migrations.RunPython(search_index_create, search_index_drop),
    ]
