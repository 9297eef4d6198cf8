from django.core.management.base import BaseCommand, CommandError

from silastik.heartbeats import BEAT, WORKER, heartbeat_ages, heartbeat_fresh


class Command(BaseCommand):
    help = (
        "Exit 0 when the process's last heartbeat is fresh, 1 when it is stale or missing: a "
        "health check for beat (and the worker's task) in compose or a monitor."
    )

    def add_arguments(self, parser):
        parser.add_argument("process", choices=[WORKER, BEAT])

    def handle(self, *args, **options):
        age = heartbeat_ages()[options["process"]]
        if not heartbeat_fresh(age):
            said = "never" if age is None else f"{age} s ago"
            raise CommandError(f"{options['process']}: last heartbeat {said}")
        self.stdout.write(f"{options['process']}: last heartbeat {age} s ago")
