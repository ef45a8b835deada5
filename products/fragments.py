"""The slips table's rows, built in Python.

A roadmap of a thousand milestones can list six hundred slipped ones; a template loop
spends about 0.1 ms a row on lookups, escaping and localisation, a third of the page's
budget. The rows here are the markup ``templates/products/_slips.html`` would produce,
every value escaped (see intel/fragments.py for the same reasoning about claims).
"""

from __future__ import annotations

from html import escape

from django.utils.safestring import SafeString, mark_safe

from intel.fragments import cached_url
from products.choices import LifecycleStatus, MilestoneStatus, ProductKind
from products.roadmap import MilestoneHistory

_STATUS_LABELS = dict(MilestoneStatus.choices)


def slips_rows(histories: list[MilestoneHistory], *, show_company: bool) -> SafeString:
    rows = []
    for history in histories:
        milestone = history.milestone
        company, product = milestone.company, milestone.product
        first = history.first_target
        cells = [
            f'<td><a href="{escape(cached_url("products:milestone_detail", "pk", milestone.pk))}#targets">'
            f"{escape(milestone.title)}</a></td>"
        ]
        if show_company:
            cells.append(
                f'<td><a href="{escape(cached_url("companies:company_detail", "slug", company.slug))}">'
                f"{escape(company.name)}</a></td>"
            )
        if product is not None:
            href = escape(cached_url("products:product_detail", "slug", product.slug))
            cells.append(f'<td><a href="{href}">{escape(product.name)}</a></td>')
        else:
            cells.append("<td></td>")
        cells += [
            f"<td>{escape(first.label) if first else '—'}</td>",
            f"<td>{escape(milestone.target.label) if milestone.target else 'no date'}</td>",
            f'<td class="number">{history.slip_count}</td>',
            f'<td class="number">+{history.days_slipped}</td>',
            f'<td><span class="badge milestone-{escape(milestone.status)}">'
            f"{escape(str(_STATUS_LABELS.get(milestone.status, milestone.status)))}</span></td>",
        ]
        rows.append(f"<tr>{''.join(cells)}</tr>")
    return mark_safe("".join(rows))  # noqa: S308 — every value is escaped above


_PRODUCT_KINDS = dict(ProductKind.choices)
_LIFECYCLE_LABELS = dict(LifecycleStatus.choices)


def product_items(rows) -> SafeString:
    """A company's products as list items: rows of (slug, name, kind, status, architecture name or None).

    A vendor can have hundreds of products; a template loop with a reverse() per link cost
    a third of the company page at scale L (bench/profile_scenario.py)."""
    items = []
    for slug, name, kind, status, architecture in rows:
        details = [str(_PRODUCT_KINDS.get(kind, kind))]
        if architecture:
            details.append(architecture)
        details.append(str(_LIFECYCLE_LABELS.get(status, status)))
        items.append(
            f'<li><a href="{escape(cached_url("products:product_detail", "slug", slug))}">{escape(name)}</a> '
            f'<span class="kind">{escape(" · ".join(details))}</span></li>'
        )
    return mark_safe("".join(items))  # noqa: S308 — every value is escaped above
