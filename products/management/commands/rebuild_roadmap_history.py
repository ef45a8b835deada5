"""manage.py rebuild_roadmap_history: recompute every milestone's targets and slips from the stored revisions."""

from django.core.management.base import BaseCommand

from products.roadmap import targets_rebuild


class Command(BaseCommand):
    help = "Recompute every milestone's target history (and so its slips) from the revision history."

    def add_arguments(self, parser):
        parser.add_argument("milestones", nargs="*", type=int, help="Milestone ids (all when none are given).")

    def handle(self, *args, milestones, **options):
        made = targets_rebuild(milestone_ids=milestones or None)
        self.stdout.write(f"Rebuilt {made:,} target rows from the revision history.")
