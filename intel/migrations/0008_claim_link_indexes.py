"""Indexes that let a page list the newest claims about it without reading all of them.

A company's page asks for its newest 20 claims of each kind: with an index on (company, claim)
the database walks the company's claims from the newest and stops at 20, whether it has ten
claims or a hundred thousand (bench/run.py, scale L). The link tables are Django's own (the
many-to-many fields of Claim), so the indexes are made in SQL; both databases take it.
"""

from django.db import migrations

LINKS = [
    ("intel_claim_companies", "company_id"),
    ("intel_claim_products", "product_id"),
    ("intel_claim_milestones", "milestone_id"),
]


class Migration(migrations.Migration):
    dependencies = [("intel", "0007_anchor_note")]

    operations = [
        migrations.RunSQL(
            f"CREATE INDEX {table}_newest ON {table} ({column}, claim_id)",
            f"DROP INDEX {table}_newest",
        )
        for table, column in LINKS
    ]
