from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class UsersConfig(AppConfig):
    name = "silastik.users"
    label = "users"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_login_failed

        from .auth import login_failure_count
        from .roles import roles_sync_permissions

        user_login_failed.connect(login_failure_count, dispatch_uid="users.login_failure_count")

        # Permissions exist only after every app has migrated, so roles get theirs then.
        post_migrate.connect(roles_sync_permissions, dispatch_uid="users.roles_sync_permissions")
