"""python manage.py rebuild_search [--kind claim ...]: index every page again from scratch."""

from django.core.management.base import BaseCommand

from intel.pages import PAGE_KINDS
from search import indexing


class Command(BaseCommand):
    help = "Rebuild the search index from the pages (all kinds, or those named with --kind)."

    def add_arguments(self, parser):
        parser.add_argument("--kind", action="append", choices=list(PAGE_KINDS), help="Only this kind (repeatable).")

    def handle(self, *args, kind=None, verbosity=1, **options):
        def progress(report):
            if verbosity:
                rate = report.pages / report.seconds if report.seconds else 0
                self.stdout.write(f"{report.kind}: {report.pages:,} pages in {report.seconds:.1f} s ({rate:,.0f}/s)")

        reports = indexing.rebuild(kinds=kind, progress=progress)
        total = sum(report.pages for report in reports)
        seconds = sum(report.seconds for report in reports)
        self.stdout.write(self.style.SUCCESS(f"Indexed {total:,} pages in {seconds:.1f} s."))
