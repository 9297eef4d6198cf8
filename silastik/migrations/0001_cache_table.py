"""The table of the database cache, where production counts rate limits when no Redis cache is
configured (CACHE_URL): made with the schema, so no installation forgets `createcachetable`."""

from django.core.management import call_command
from django.db import migrations

TABLE = "silastik_cache"


def cache_table_create(apps, schema_editor):
    # Named, not read from CACHES: made whatever CACHE_URL says today, so switching to the
    # database cache later needs no extra step. An existing table is left as it is.
    call_command("createcachetable", TABLE, database=schema_editor.connection.alias, verbosity=0)


def cache_table_drop(apps, schema_editor):
    schema_editor.execute(f"DROP TABLE IF EXISTS {schema_editor.quote_name(TABLE)}")


class Migration(migrations.Migration):
    dependencies = []
    operations = [migrations.RunPython(cache_table_create, cache_table_drop)]
