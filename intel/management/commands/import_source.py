from datetime import date
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from intel.anchoring import describe_counts
from intel.choices import SourceKind
from intel.extraction import ENCODINGS, ExtractionError, format_size
from intel.models import Source
from intel.services import source_import


class Command(BaseCommand):
    help = (
        "Archive a file (HTML or plain text) as a source's snapshot and anchor the source's citations in it. "
        "The source is --source, or the one with the same --url or --title; otherwise a new pending source is "
        "created from the options."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="The file as published: HTML (main text extracted) or plain text.")
        parser.add_argument("--source", type=int, help="Id of the source the file belongs to.")
        parser.add_argument("--url", default="", help="The source's address.")
        parser.add_argument("--title", default="", help="The source's title (default: the HTML title or file name).")
        parser.add_argument("--publisher", default="")
        parser.add_argument("--published", default="", help="Publication date, YYYY-MM-DD.")
        parser.add_argument("--language", default="", help="BCP 47 tag: en, zh-Hans, zh-Hant…")
        parser.add_argument("--kind", default=SourceKind.ARTICLE, choices=SourceKind.values)
        parser.add_argument(
            "--encoding",
            default="",
            choices=[value for value, _ in ENCODINGS],
            help="Of a plain-text file; detected when left out.",
        )
        parser.add_argument(
            "--user", default="", help="Who the import is recorded under (default: the first superuser)."
        )

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        if path.stat().st_size > settings.INTEL_SNAPSHOT_MAX_BYTES:
            size, limit = format_size(path.stat().st_size), format_size(settings.INTEL_SNAPSHOT_MAX_BYTES)
            raise CommandError(f"{path} is {size}; the limit is {limit} (INTEL_SNAPSHOT_MAX_BYTES).")
        source = None
        if options["source"] is not None:
            source = Source.objects.filter(pk=options["source"]).first()
            if source is None:
                raise CommandError(f"No source #{options['source']}.")
        fields = {
            "url": options["url"],
            "title": options["title"],
            "publisher": options["publisher"],
            "language": options["language"],
            "kind": options["kind"],
            "published_date": self._date(options["published"]),
        }
        try:
            result = source_import(
                author=self._user(options["user"]),
                data=path.read_bytes(),
                filename=path.name,
                encoding=options["encoding"],
                source=source,
                fields=fields,
            )
        except ExtractionError as error:
            raise CommandError(f"{path}: {error}") from None
        except (ValidationError, PermissionDenied) as error:
            raise CommandError("; ".join(getattr(error, "messages", [str(error)]))) from None
        verb = "Created" if result.created else "Found"
        self.stdout.write(f"{verb} source #{result.source.pk}: {result.source.title}")
        if result.snapshot is None:
            self.stdout.write("The file is the source's current snapshot already: nothing changed.")
            return
        snapshot = result.snapshot
        detected = "detected" if snapshot.encoding_detected else "chosen"
        self.stdout.write(
            f"Archived {snapshot.size:,} bytes ({snapshot.format}, {snapshot.encoding}, {detected}) as "
            f"{len(snapshot.text):,} characters; sha256 {snapshot.sha256}"
        )
        if result.anchors:
            self.stdout.write(f"Citations anchored: {describe_counts(result.anchors)}")
        else:
            self.stdout.write("No citations cite this source yet.")

    def _date(self, text: str):
        if not text:
            return None
        try:
            return date.fromisoformat(text)
        except ValueError:
            raise CommandError(f"--published {text!r} is not a date like 2025-03-24.") from None

    def _user(self, username: str):
        User = get_user_model()
        if username:
            user = User.objects.filter(username=username).first()
            if user is None:
                raise CommandError(f"No user {username!r}.")
            return user
        user = User.objects.filter(is_superuser=True, is_active=True).order_by("pk").first()
        if user is None:
            raise CommandError("No superuser to record the import under: name one with --user.")
        return user
