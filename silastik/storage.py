from django.core.files.storage import Storage, storages


def private_storage() -> Storage:
    """Customers' documents and products: never under a public URL (settings.STORAGES)."""
    return storages["private"]
