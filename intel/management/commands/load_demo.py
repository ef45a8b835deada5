import os

from django.core.management.base import BaseCommand

from companies.models import Company
from intel.demo import load_demo
from intel.models import Citation, Claim, ClaimRelation, Person, Source
from products.models import Milestone, Product


class Command(BaseCommand):
    help = (
        "Load the AI-infrastructure demo data (drawn from the GTC 2025 roadmap article) and one user per role. "
        "Idempotent: running it again creates nothing new. Users get INTEL_DEMO_PASSWORD, or a random password "
        "printed once."
    )

    def handle(self, *args, **options):
        report = load_demo(password=os.environ.get("INTEL_DEMO_PASSWORD") or None)
        counts = {
            model._meta.verbose_name_plural: model.objects.count()
            for model in (Company, Product, Milestone, Source, Person, Claim, Citation, ClaimRelation)
        }
        self.stdout.write("Demo data: " + ", ".join(f"{count} {name}" for name, count in counts.items()))
        if report.passwords:
            self.stdout.write(self.style.WARNING("Demo users created with random passwords (shown only this once):"))
            for username, password in report.passwords.items():
                self.stdout.write(f"  {username}: {password}")
        elif not os.environ.get("INTEL_DEMO_PASSWORD"):
            self.stdout.write("Demo users already exist: reader, analyst, moderator, admin (passwords unchanged).")
