"""python manage.py export_all FILE.jsonl[.gz]: the whole wiki in one file (see intel/backup.py)."""

from django.core.management.base import BaseCommand, CommandError

from intel import backup


class Command(BaseCommand):
    help = "Write every page, revision, moderation decision, snapshot and user to FILE (.jsonl or .jsonl.gz)."

    def add_arguments(self, parser):
        parser.add_argument("file", help="Where to write, e.g. intel-2026-11-29.jsonl.gz")

    def handle(self, *args, file, **options):
        try:
            backup.export_all(file)
        except ValueError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(self.style.SUCCESS(f"Exported the wiki to {file}."))
