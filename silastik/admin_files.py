"""Private files in the back office: shown by name, never linked by a public URL."""

from django import forms
from django.db import models

from .storage import PrivateFileSystemStorage, private_storage


class PrivateFileInput(forms.ClearableFileInput):
    template_name = "admin/widgets/private_file.html"

    def is_initial(self, value) -> bool:
        # Django asks the file for its URL here; a private file has none, only a name.
        return bool(value and getattr(value, "name", None))


def is_private(field: models.Field) -> bool:
    storage = getattr(field, "storage", None)
    return isinstance(field, models.FileField) and (
        storage is private_storage()
        or isinstance(storage, PrivateFileSystemStorage)
        or getattr(field, "_storage_callable", None) is private_storage
    )


class PrivateFilesAdminMixin:
    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if is_private(db_field):
            kwargs["widget"] = PrivateFileInput
        return super().formfield_for_dbfield(db_field, request, **kwargs)
