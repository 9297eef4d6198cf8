from django.core.files.storage import FileSystemStorage, Storage, storages


class PrivateFileSystemStorage(FileSystemStorage):
    """Files only views that check rights may serve: asking for a URL is a bug."""

    def url(self, name: str | None) -> str:
        raise ValueError("Private files have no public URL; serve them through a download view.")


def private_storage() -> Storage:
    """Customers' documents and products: never under a public URL (settings.STORAGES)."""
    return storages["private"]
