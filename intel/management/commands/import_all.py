"""python manage.py import_all FILE.jsonl[.gz]: restore an export into an empty, migrated database."""

from django.core.management.base import BaseCommand, CommandError

from intel import backup


class Command(BaseCommand):
    help = (
        "Load a file written by export_all into this database, which must be migrated and hold no wiki yet; "
        "then rebuild the search index. All or nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="A file written by export_all")

    def handle(self, *args, file, **options):
        try:
            backup.import_all(file)
        except (ValueError, FileNotFoundError, backup.NotEmpty) as error:
            raise CommandError(str(error)) from None
        self.stdout.write(self.style.SUCCESS(f"Imported the wiki from {file}."))
