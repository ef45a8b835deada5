"""Metrics: the claims of kind metric as series of values over time, their conflicts and their chart.

A **series** is every metric claim about one subject company, one metric and one unit
("Nvidia · revenue · bn USD"); the same metric in another unit is another series. A
claim's subject is the vendor of each product it names, or, when it names no product,
each company it names; when that gives several companies and some are tracked, only
the tracked ones. So a claim can belong to more than one series (rarely does).

A **point** is one claim in a series. It is *drawn* over its period when it has one and
still counts: retracted and superseded claims, and claims without a period, are listed
in the table but not drawn. Two or more drawn points with the same period (the same
date *and* precision) and different values are a **conflict**; 2025 against 2025-Q1 is
not one, as the periods differ.

:func:`metric_series` reads them in a fixed number of queries, whatever their number;
:func:`metric_chart` draws one series as inline SVG with the shared builder
(:mod:`intel.svg`): a short bar over each value's period with a marker at its middle
(a day is a marker alone), the value as text, a distinct marker for conflicts.
"""

from __future__ import annotations

import datetime
import hashlib
from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property

from django.core.cache import cache
from django.db import connections
from django.db.models import Count, Exists, F, Max, OuterRef, Prefetch, Q, QuerySet
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import slugify

from companies.models import Company
from intel.choices import SETTLED_CLAIM_STATUSES, ClaimKind, ClaimStatus, Precision
from intel.fuzzydates import PRECISION_MONTHS, FuzzyDate, day_after
from intel.models import Claim
from intel.selectors import claims_with_citations
from intel.svg import LinearScale, Svg, TimeScale, clip, nice_ticks, number_label, text_width
from products.models import Product

# Pages say how many metric claims they drew from up to this many; beyond, "more than 10,000".
METRIC_CLAIMS_COUNTED = 10_000
# Listed in the table, never drawn nor counted in a conflict: they no longer say what the value is.
NOT_DRAWN_STATUSES = frozenset(SETTLED_CLAIM_STATUSES)


@dataclass
class MetricPoint:
    """One claim's value in a series."""

    claim: Claim
    conflict: bool = False
    # The other values drawn for the same period, when they differ from this one.
    conflicting_values: list[Decimal] = field(default_factory=list)

    @property
    def value(self) -> Decimal:
        return self.claim.value

    @property
    def period(self) -> FuzzyDate | None:
        return self.claim.period

    @property
    def counts(self) -> bool:
        """Whether the claim still says what the value is (not retracted or superseded)."""
        return self.claim.status not in NOT_DRAWN_STATUSES

    @property
    def drawn(self) -> bool:
        return self.period is not None and self.counts

    @property
    def value_text(self) -> str:
        return value_text(self.value)

    @property
    def conflicting_text(self) -> str:
        return ", ".join(value_text(value) for value in self.conflicting_values)

    @property
    def sort_key(self):
        # By period, those without one last; the values of one period side by side, then the claim.
        period = self.period
        return (period is None, period_key(period) if period else (), self.value, self.claim.pk)


@dataclass
class MetricSeries:
    """Every metric claim about one subject company, metric and unit, sorted by period."""

    subject: Company
    metric: str
    unit: str
    points: list[MetricPoint]
    # Set when ``points`` are the newest of more (metric_series_of): how many there are,
    # and the periods in conflict across all of them, which may lie among those left out.
    points_total: int | None = None
    whole_conflict_periods: list[FuzzyDate] | None = None

    @property
    def title(self) -> str:
        return f"{self.subject.name} · {self.metric} · {self.unit}"

    @property
    def drawn_points(self) -> list[MetricPoint]:
        return [point for point in self.points if point.drawn]

    @property
    def undrawn_points(self) -> list[MetricPoint]:
        return [point for point in self.points if not point.drawn]

    @property
    def conflict_periods(self) -> list[FuzzyDate]:
        if self.whole_conflict_periods is not None:
            return self.whole_conflict_periods
        return sorted({point.period for point in self.points if point.conflict}, key=period_key)

    @property
    def has_conflict(self) -> bool:
        return bool(self.conflict_periods)

    @property
    def no_chart_reason(self) -> str:
        """Why nothing is drawn, in words; empty when there is a chart."""
        if self.drawn_points:
            return ""
        if all(point.period is None for point in self.points):
            return "No chart: none of its values has a period."
        if all(not point.counts for point in self.points):
            return "No chart: its values are all retracted or superseded."
        return "No chart: its values have no period or are retracted or superseded."

    @cached_property
    def html_id(self) -> str:
        """An id unique on any page, stable across requests, readable in a link (#metric-nvidia-revenue-…)."""
        digest = hashlib.sha1(f"{self.subject.pk}\x1f{self.metric}\x1f{self.unit}".encode()).hexdigest()[:8]
        words = [part for part in (self.subject.slug[:40], slugify(self.metric)[:40]) if part]
        return "-".join(["metric", *words, digest])

    @cached_property
    def chart(self) -> SafeString:
        """The SVG chart; empty when no value can be drawn (``no_chart_reason`` says why)."""
        return metric_chart(self, html_id=f"{self.html_id}-chart")


def value_text(value: Decimal) -> str:
    """A value as written, without padding zeros, with thousands separators: 3600 → "3,600", 0.125 → "0.125"."""
    return format(Decimal(value).normalize(), ",f")


# ---------------------------------------------------------------------------
# Reading


def metric_claims(
    *,
    claims: QuerySet[Claim] | None = None,
    company: Company | None = None,
    companies: Collection[int] | None = None,
    metric: str | None = None,
) -> QuerySet[Claim]:
    """The metric claims a choice of series reads: those naming the companies (or their products) and
    measuring the metric. A superset of the series' points, since the subject is decided per claim
    (see metric_subjects); what pages count to say how many claims they drew from."""
    queryset = (claims if claims is not None else Claim.objects.all()).filter(kind=ClaimKind.METRIC)
    subject_ids = set(companies or ())
    if company is not None:
        subject_ids.add(company.pk)
    if company is not None or companies is not None:
        queryset = queryset.filter(_about_companies(subject_ids))
    if metric:
        queryset = queryset.filter(metric__iexact=metric)
    return queryset


def metric_series(
    *,
    claims: QuerySet[Claim] | None = None,
    company: Company | None = None,
    companies: Collection[int] | None = None,
    metric: str | None = None,
    newest: int | None = None,
) -> list[MetricSeries]:
    """The metric series of ``claims`` (every claim by default), sorted by subject, metric and unit.

    ``company`` (or ``companies``, ids) keeps the series whose subject it is; ``metric`` the
    series of that metric (any case); ``newest`` reads only that many of the claims, the newest
    (a company has tens of thousands at scale: pages draw from the newest and say so). Four
    queries, however many claims and citations: the claims, their companies, their products
    with vendors, their citations with sources; and the newest ids first, with ``newest``.
    """
    queryset = metric_claims(claims=claims, company=company, companies=companies, metric=metric)
    subject_ids = set(companies or ())
    if company is not None:
        subject_ids.add(company.pk)
    if newest is not None:
        ids = list(queryset.order_by("-created", "-id").values_list("pk", flat=True)[:newest])
        queryset = Claim.objects.filter(pk__in=ids)
    queryset = claims_with_citations(queryset.defer("body", "status_note")).prefetch_related(
        Prefetch("companies", queryset=Company.objects.only("id", "name", "slug", "tracked")),
        Prefetch(
            "products",
            queryset=Product.objects.select_related("vendor").only(
                "id", "vendor", "vendor__name", "vendor__slug", "vendor__tracked"
            ),
        ),
    )

    grouped: dict[tuple[int, str, str], MetricSeries] = {}
    for claim in queryset:
        for subject in metric_subjects(claim):
            if (company is not None or companies is not None) and subject.pk not in subject_ids:
                continue
            key = (subject.pk, claim.metric, claim.unit)
            if key not in grouped:
                grouped[key] = MetricSeries(subject=subject, metric=claim.metric, unit=claim.unit, points=[])
            grouped[key].points.append(MetricPoint(claim=claim))

    series = sorted(
        grouped.values(), key=lambda item: (item.subject.name.casefold(), item.subject.pk, item.metric, item.unit)
    )
    for item in series:
        item.points.sort(key=lambda point: point.sort_key)
        mark_conflicts(item.points)
    return series


def _about_companies(ids: Collection[int]) -> Q:
    """Claims naming one of the companies, or a product of one: the claims whose subject they can be.
    Semi-joins, so a claim naming two of them comes once."""
    named = Claim.companies.through.objects.filter(company_id__in=ids).values("claim_id")
    by_product = Claim.products.through.objects.filter(product__vendor_id__in=ids).values("claim_id")
    return Q(pk__in=named) | Q(pk__in=by_product)


def _candidate_links(claims: QuerySet[Claim]) -> tuple[QuerySet, QuerySet]:
    """The links that can make a company a subject of one of ``claims``: each product it names (for
    its vendor), and each company named by a claim that names no product."""
    names_product = Claim.products.through.objects
    product_links = names_product.filter(claim__in=claims.values("pk"))
    company_links = Claim.companies.through.objects.filter(claim__in=claims.values("pk")).exclude(
        Exists(names_product.filter(claim=OuterRef("claim")))
    )
    return product_links, company_links


def _subject_links(claims: QuerySet[Claim]) -> tuple[QuerySet, QuerySet]:
    """metric_subjects' rule in SQL: the candidate links (product–vendor, then company) whose company is a
    subject: it is tracked, or no candidate of the same claim is.

    Measured slower at scale L (docs/architecture.md): each "tracked OR NOT EXISTS" split in two
    plain parts, and the correlated links restricted to ``claims`` too."""
    product_links, company_links = _candidate_links(claims)
    tracked_vendor = Claim.products.through.objects.filter(claim=OuterRef("claim"), product__vendor__tracked=True)
    tracked_company = Claim.companies.through.objects.filter(claim=OuterRef("claim"), company__tracked=True)
    return (
        product_links.filter(Q(product__vendor__tracked=True) | ~Exists(tracked_vendor)),
        company_links.filter(Q(company__tracked=True) | ~Exists(tracked_company)),
    )


def subject_companies() -> QuerySet[Company]:
    """The companies that are the subject of at least one metric claim (metric_subjects' rule, in SQL)."""
    by_vendor, by_name = _subject_links(Claim.objects.filter(kind=ClaimKind.METRIC))
    return Company.objects.filter(
        Exists(by_vendor.filter(product__vendor=OuterRef("pk"))) | Exists(by_name.filter(company=OuterRef("pk")))
    )


def subject_company_ids() -> list[int]:
    """subject_companies' ids, remembered (in Django's cache) until a metric claim, a company or a product
    is added, changed or deleted: the rule reads every metric claim's links (a second at scale L), the
    check that nothing changed is three aggregates (75 ms). Every edit saves its row, so ``updated`` moves;
    a deletion changes the count."""
    stamp = [
        Claim.objects.filter(kind=ClaimKind.METRIC).aggregate(n=Count("pk"), last=Max("updated")),
        Company.objects.aggregate(n=Count("pk"), last=Max("updated")),
        Product.objects.aggregate(n=Count("pk"), last=Max("updated")),
    ]
    key = "intel:metric-subjects:" + hashlib.sha1(repr(stamp).encode()).hexdigest()
    ids = cache.get(key)
    if ids is None:
        ids = list(subject_companies().values_list("pk", flat=True))
        cache.set(key, ids, timeout=24 * 3600)
    return ids


@dataclass(frozen=True)
class SeriesKey:
    """What names a series: its subject, metric and unit."""

    subject: Company
    metric: str
    unit: str


def metric_series_keys(
    *,
    claims: QuerySet[Claim] | None = None,
    companies: Collection[int] | None = None,
    metric: str | None = None,
    conflicts: bool | None = None,
) -> list[SeriesKey]:
    """The series metric_series would build, named but not read, in metric_series' order.

    For paging through every series without reading every claim: a page reads the claims of its
    own series only (:func:`metric_series_of`). ``conflicts`` keeps the series with (True) or
    without (False) a conflict, decided in SQL by mark_conflicts' rule. Three queries at most,
    however many claims: the subjects (the chosen companies, or those the keys name), the keys,
    the keys in conflict."""
    fields = ("id", "name", "slug", "tracked")
    chosen = None if companies is None else list(Company.objects.filter(pk__in=companies).only(*fields))
    # Not narrowed to claims about ``companies`` here: the links below are, and both at once cost twice.
    selected = metric_claims(claims=claims, metric=metric)
    rows = {(row["subject"], row["metric"], row["unit"]) for row in _subject_rows(selected, chosen)}
    if conflicts is not None:
        in_conflict = _keys_in_conflict(selected, chosen)
        rows = {row for row in rows if (row in in_conflict) == conflicts}
    if chosen is None:
        subjects = Company.objects.only(*fields).in_bulk({subject for subject, _, _ in rows})
    else:
        subjects = {company.pk: company for company in chosen}
    keys = [SeriesKey(subjects[subject], metric, unit) for subject, metric, unit in rows if subject in subjects]
    return sorted(keys, key=lambda key: (key.subject.name.casefold(), key.subject.pk, key.metric, key.unit))


def metric_series_of(
    keys: Collection[SeriesKey], *, points: int, claims: QuerySet[Claim] | None = None
) -> list[MetricSeries]:
    """The series ``keys`` names, in their order, each with its newest ``points`` claims at most.

    Reads only their own claims. Each says how many claims it has (``points_total``); whether a
    point is in conflict is still decided against every drawn value of its series, so a value
    contradicted by one left out is flagged. Six queries: the newest ids per series, the drawn
    values, then the claims with their companies, products and citations."""
    if not keys:
        return []
    same_measure = Q()
    for metric, unit in {(key.metric, key.unit) for key in keys}:
        same_measure |= Q(metric=metric, unit=unit)
    selected = metric_claims(claims=claims).filter(same_measure)
    subjects = {key.subject for key in keys}
    newest = _newest_per_series(selected, subjects, points)
    drawn_values = _drawn_values(selected, subjects)
    shown = Claim.objects.filter(pk__in={pk for _, ids in newest.values() for pk in ids})
    built = {}
    for series in metric_series(claims=shown, companies={subject.pk for subject in subjects}):
        key = (series.subject.pk, series.metric, series.unit)
        total, ids = newest.get(key, (0, ()))
        # A claim about two subjects can be among one series' newest and not the other's.
        series.points = [point for point in series.points if point.claim.pk in ids]
        series.points_total = total
        series.whole_conflict_periods = mark_conflicts(series.points, drawn=drawn_values.get(key, {}))
        built[key] = series
    # A series whose last claim was deleted since its key was read is left out, not an error.
    return [series for key in keys if (series := built.get((key.subject.pk, key.metric, key.unit)))]


def _newest_per_series(
    claims: QuerySet[Claim], companies: Collection[Company], points: int
) -> dict[tuple[int, str, str], tuple[int, set[int]]]:
    """For each series among ``claims``: how many claims it has, and the ids of its newest ``points``.
    One query: a window over metric_series' rows, numbered newest first within each series."""
    rows = _subject_rows(claims, companies, claim_pk="id", created="created")
    sql, params = rows.query.sql_with_params()
    found: dict[tuple[int, str, str], tuple[int, set[int]]] = {}
    with connections[rows.db].cursor() as cursor:
        cursor.execute(
            "SELECT subject, metric, unit, claim_pk, total FROM (SELECT subject, metric, unit, claim_pk,"
            " ROW_NUMBER() OVER (PARTITION BY subject, metric, unit ORDER BY created DESC, claim_pk DESC) AS place,"
            " COUNT(*) OVER (PARTITION BY subject, metric, unit) AS total"
            " FROM (" + sql + ") AS linked) AS ranked WHERE place <= %s",
            [*params, points],
        )
        for subject, metric, unit, claim_pk, total in cursor.fetchall():
            found.setdefault((subject, metric, unit), (total, set()))[1].add(claim_pk)
    return found


def _drawn_values(
    claims: QuerySet[Claim], companies: Collection[Company]
) -> dict[tuple[int, str, str], dict[FuzzyDate, set[Decimal]]]:
    """Every distinct drawn value of each series by period: what a point's conflict is decided against."""
    values: dict[tuple[int, str, str], dict[FuzzyDate, set[Decimal]]] = defaultdict(lambda: defaultdict(set))
    for row in _drawn_rows(claims, companies):
        period = FuzzyDate(row["period_date"], row["precision"])
        values[(row["subject"], row["metric"], row["unit"])][period].add(row["amount"])
    return values


def _subject_rows(claims: QuerySet[Claim], companies: Collection[Company] | None, **fields: str) -> QuerySet:
    """One row per claim and subject (of ``companies`` only, when given), duplicates removed: the
    subject's id as ``subject``, the claim's metric and unit, and ``fields`` (alias: claim field)."""
    claim_fields = {
        alias: F(f"claim__{name}") for alias, name in {"metric": "metric", "unit": "unit", **fields}.items()
    }

    def rows(links: QuerySet, subject: str) -> QuerySet:
        return links.values(subject=F(subject), **claim_fields)

    if companies is None:
        by_vendor, by_name = _subject_links(claims)
        return rows(by_vendor, "product__vendor").union(rows(by_name, "company"))
    # A tracked company is the subject of every claim naming it (or its product), so only the untracked need
    # the rule's NOT EXISTS, which costs a pass over every claim's links (1.6 s at scale L).
    tracked = {company.pk for company in companies if company.tracked}
    untracked = {company.pk for company in companies if not company.tracked}
    product_links, company_links = _candidate_links(claims)
    parts = [
        rows(product_links.filter(product__vendor__in=tracked), "product__vendor"),
        rows(company_links.filter(company__in=tracked), "company"),
    ]
    if untracked:
        by_vendor, by_name = _subject_links(claims)
        parts += [
            rows(by_vendor.filter(product__vendor__in=untracked), "product__vendor"),
            rows(by_name.filter(company__in=untracked), "company"),
        ]
    return parts[0].union(*parts[1:])


def _drawn_rows(claims: QuerySet[Claim], companies: Collection[Company] | None) -> QuerySet:
    """_subject_rows of the drawn claims, with each one's period and value: what conflicts are made of."""
    drawn = claims.filter(period_date__isnull=False).exclude(status__in=NOT_DRAWN_STATUSES)
    return _subject_rows(drawn, companies, period_date="period_date", precision="period_precision", amount="value")


def _keys_in_conflict(claims: QuerySet[Claim], companies: Collection[Company] | None) -> set[tuple[int, str, str]]:
    """The series with a conflict: two drawn values for one period (date and precision) that differ.
    Grouped in the database, over the distinct (series, period, value) rows, so nothing but keys is read."""
    rows = _drawn_rows(claims, companies)
    sql, params = rows.query.sql_with_params()
    with connections[rows.db].cursor() as cursor:
        cursor.execute(
            "SELECT subject, metric, unit FROM (" + sql + ") AS drawn"
            " GROUP BY subject, metric, unit, period_date, precision HAVING COUNT(amount) > 1",
            params,
        )
        return set(cursor.fetchall())


def metric_subjects(claim: Claim) -> list[Company]:
    """The companies a metric claim is about (the rule is in the module docstring); from prefetched rows."""
    subjects = {product.vendor_id: product.vendor for product in claim.products.all()}
    if not subjects:
        subjects = {company.pk: company for company in claim.companies.all()}
    if len(subjects) > 1:
        tracked = {pk: company for pk, company in subjects.items() if company.tracked}
        subjects = tracked or subjects
    return list(subjects.values())


def mark_conflicts(points: list[MetricPoint], *, drawn: dict[FuzzyDate, set[Decimal]] | None = None) -> list[FuzzyDate]:
    """Flag the drawn points whose period has another drawn value; the periods in conflict, in order.

    ``drawn`` gives every drawn value of the series by period, when ``points`` are only some of it."""
    if drawn is None:
        drawn = defaultdict(set)
        for point in points:
            if point.drawn:
                drawn[point.period].add(point.value)
    for point in points:
        point.conflict, point.conflicting_values = False, []
        values = sorted(drawn.get(point.period, ())) if point.drawn else []
        if len(values) > 1:
            point.conflict = True
            point.conflicting_values = [value for value in values if value != point.value]
    return sorted((period for period, values in drawn.items() if len(values) > 1), key=period_key)


def period_key(period: FuzzyDate) -> tuple[datetime.date, datetime.date]:
    """FuzzyDate's order (earlier first; of two starting together, the narrower)."""
    return period.sort_key


# ---------------------------------------------------------------------------
# Drawing

WIDTH, HEIGHT = 640, 260
FONT_SIZE, SMALL = 11, 10
INK, MUTED, GRID = "#1a1a1a", "#595959", "#d0d0d0"
VALUE_INK, CONFLICT_INK = "#1f4e79", "#a40000"
PLOT_TOP, PLOT_BOTTOM, PLOT_RIGHT = 52, HEIGHT - 44, WIDTH - 16
MAX_VALUE_LABELS = 40  # beyond that the labels would cover each other: the first, last, lowest and highest only
MAX_DESCRIBED = 12  # values read out in the chart's description; the table has all


def metric_chart(series: MetricSeries, *, html_id: str) -> SafeString:
    """One series as an SVG chart (about 640×260), or an empty string when nothing can be drawn.

    Styled with presentation attributes, so it prints and reads without the stylesheet; the
    classes (``metric-*``) let CSS restyle it. Nothing is told by colour alone: a conflict has
    its own marker shape and dashed bar, a tooltip and a legend entry.
    """
    points = series.drawn_points
    if not points:
        return mark_safe("")  # noqa: S308 — an empty string

    values = [float(point.value) for point in points]
    y_ticks = nice_ticks(min(0.0, *values), max(0.0, *values), count=4)
    step = y_ticks[1] - y_ticks[0] if len(y_ticks) > 1 else 1.0
    y_labels = [_axis_number(tick, step) for tick in y_ticks]
    left = min(max(36.0, max(text_width(label, FONT_SIZE) for label in y_labels) + 14), 180.0)
    y_scale = LinearScale(y_ticks[0], y_ticks[-1], PLOT_BOTTOM, PLOT_TOP)
    x_scale = _time_scale(points, x0=left, x1=PLOT_RIGHT)

    svg = Svg(
        width=WIDTH,
        height=HEIGHT,
        title=f"{series.subject.name}: {series.metric} ({series.unit})",
        description=_description(series),
        html_id=html_id,
        class_="metric-chart",
        font_size=FONT_SIZE,
        fill=INK,
    )
    _draw_value_axis(svg, y_scale, y_ticks, y_labels, left=left, title=f"{series.metric}, {series.unit}")
    _draw_time_axis(svg, x_scale)
    _draw_legend(svg, conflicts=series.has_conflict)
    placed = [_draw_point(svg, point, series, x_scale, y_scale) for point in points]
    _draw_value_labels(svg, placed, left=left)
    return svg.markup()


def _year_start(year: int) -> datetime.date:
    """1 January of ``year``; past the calendar's last year, its last day."""
    return datetime.date(max(year, 1), 1, 1) if year <= datetime.MAXYEAR else datetime.date.max


def _time_scale(points: list[MetricPoint], *, x0: float, x1: float) -> TimeScale:
    """Whole years around every period; a year more on each side when one period would fill half of it
    (a single yearly value is a bar in the middle, not the whole width)."""
    first = min(point.period.start for point in points)
    last = max(day_after(point.period.end) for point in points)  # exclusive
    start = _year_start(first.year)
    end = last if last == _year_start(last.year) else _year_start(last.year + 1)
    widest = max(PRECISION_MONTHS.get(point.period.precision, 0) for point in points)
    if widest * 2 >= 12 * (end.year - start.year + (end == datetime.date.max)):
        start, end = _year_start(start.year - 1) if start.year > 1 else start, _year_start(end.year + 1)
    return TimeScale(start, end, x0, x1)


@dataclass
class _Placed:
    """Where a point was drawn, for its value label."""

    point: MetricPoint
    x: float
    y: float
    x_start: float
    x_end: float


def _draw_point(svg: Svg, point: MetricPoint, series: MetricSeries, x_scale, y_scale) -> _Placed:
    period = point.period
    x_start, x_end = x_scale.x(period.start), x_scale.x(day_after(period.end))
    x, y = (x_start + x_end) / 2, y_scale.y(float(point.value))
    classes = "metric-point metric-conflict" if point.conflict else "metric-point"
    svg.open("g", class_=classes)
    svg.element("title", _point_tooltip(point, series))
    ink = CONFLICT_INK if point.conflict else VALUE_INK
    if period.precision != Precision.DAY:
        svg.element(
            "line",
            class_="metric-bar",
            x1=x_start,
            y1=y,
            x2=x_end,
            y2=y,
            stroke=ink,
            stroke_width=3,
            stroke_dasharray="5 3" if point.conflict else None,
        )
    if point.conflict:
        size = 6.0
        svg.element(
            "polygon",
            class_="metric-marker",
            points=" ".join(
                f"{px:.1f},{py:.1f}" for px, py in ((x, y - size), (x + size, y), (x, y + size), (x - size, y))
            ),
            fill="#ffffff",
            stroke=ink,
            stroke_width=2,
        )
    else:
        svg.element("circle", class_="metric-marker", cx=x, cy=y, r=4.5, fill=ink, stroke="#ffffff", stroke_width=1)
    svg.close("g")
    return _Placed(point, x, y, x_start, x_end)


def _point_tooltip(point: MetricPoint, series: MetricSeries) -> str:
    status = ClaimStatus(point.claim.status).label.lower() if point.claim.status in ClaimStatus.values else ""
    text = f"{point.period.label}: {point.value_text} {series.unit} (claim {point.claim.pk}, {status})"
    if point.conflict:
        text += f". Conflict: other claims give {point.conflicting_text} for {point.period.label}"
    return text


def _draw_value_axis(svg: Svg, scale: LinearScale, ticks, labels, *, left: float, title: str) -> None:
    svg.open("g", class_="metric-axis metric-axis-value")
    for tick, label in zip(ticks, labels, strict=True):
        y = scale.y(tick)
        stroke = INK if tick == 0 and ticks[0] < 0 else GRID
        svg.element("line", class_="metric-grid", x1=left, y1=y, x2=PLOT_RIGHT, y2=y, stroke=stroke, stroke_width=1)
        svg.text(left - 6, y + 4, clip(label, left - 8, FONT_SIZE), text_anchor="end", class_="metric-axis-label")
    svg.close("g")
    svg.text(8, PLOT_TOP - 14, clip(title, WIDTH / 2, FONT_SIZE), class_="metric-axis-title", font_weight="bold")


def _draw_time_axis(svg: Svg, scale: TimeScale) -> None:
    svg.open("g", class_="metric-axis metric-axis-time")
    svg.element("line", x1=scale.x0, y1=PLOT_BOTTOM, x2=scale.x1, y2=PLOT_BOTTOM, stroke=INK, stroke_width=1)
    for tick in scale.ticks():
        length = 6 if tick.major else 3
        svg.element("line", x1=tick.position, y1=PLOT_BOTTOM, x2=tick.position, y2=PLOT_BOTTOM + length, stroke=INK)
        svg.text(
            tick.position,
            PLOT_BOTTOM + (18 if tick.major else 15),
            tick.label,
            text_anchor="middle",
            class_="metric-axis-label" if tick.major else "metric-axis-label metric-minor",
            font_size=FONT_SIZE if tick.major else SMALL,
            fill=INK if tick.major else MUTED,
        )
    svg.close("g")
    svg.text((scale.x0 + scale.x1) / 2, HEIGHT - 8, "Period", text_anchor="middle", class_="metric-axis-title")


def _draw_legend(svg: Svg, *, conflicts: bool) -> None:
    """What the marks mean, right-aligned above the plot."""
    entries = [("value", "Value over its period")]
    if conflicts:
        entries.append(("conflict", "Conflict: different values for one period"))
    y = 16
    x = PLOT_RIGHT - sum(28 + text_width(label, FONT_SIZE) + 12 for _, label in entries) + 12
    svg.open("g", class_="metric-legend")
    for kind, label in entries:
        ink = CONFLICT_INK if kind == "conflict" else VALUE_INK
        dash = "5 3" if kind == "conflict" else None
        svg.element("line", x1=x, y1=y, x2=x + 22, y2=y, stroke=ink, stroke_width=3, stroke_dasharray=dash)
        if kind == "conflict":
            mid = x + 11
            svg.element(
                "polygon",
                points=f"{mid:.1f},{y - 6} {mid + 6:.1f},{y} {mid:.1f},{y + 6} {mid - 6:.1f},{y}",
                fill="#ffffff",
                stroke=ink,
                stroke_width=2,
            )
        else:
            svg.element("circle", cx=x + 11, cy=y, r=4.5, fill=ink, stroke="#ffffff", stroke_width=1)
        svg.text(x + 28, y + 4, label, class_="metric-legend-label")
        x += 28 + text_width(label, FONT_SIZE) + 12
    svg.close("g")


def _draw_value_labels(svg: Svg, placed: list[_Placed], *, left: float) -> None:
    """Each value as text by its marker: above it, else below, beside its bar or further away, wherever
    it covers no other label, marker or bar (values of one period are drawn on top of each other)."""
    chosen = placed
    if len(placed) > MAX_VALUE_LABELS:
        by_value = sorted(placed, key=lambda item: item.point.value)
        keep = {id(item) for item in (placed[0], placed[-1], by_value[0], by_value[-1])}
        chosen = [item for item in placed if id(item) in keep]
    taken = [(item.x - 7, item.y - 7, item.x + 7, item.y + 7) for item in placed]
    taken += [(item.x_start, item.y - 2, item.x_end, item.y + 2) for item in placed]
    svg.open("g", class_="metric-values")
    for item in chosen:
        label = item.point.value_text
        width = text_width(label, FONT_SIZE)
        candidates = list(_label_places(item, width, left=left))
        x, baseline, anchor = next(
            (place for place in candidates if not any(_overlap(_box(place, width), box) for box in taken)),
            candidates[0],
        )
        taken.append(_box((x, baseline, anchor), width))
        svg.text(
            x,
            baseline,
            label,
            text_anchor=anchor,
            class_="metric-value metric-conflict" if item.point.conflict else "metric-value",
            fill=CONFLICT_INK if item.point.conflict else INK,
        )
    svg.close("g")


def _label_places(item: _Placed, width: float, *, left: float):
    """(x, baseline, text-anchor) where a value label may go, best first; all inside the plot."""
    x = min(max(item.x, left + width / 2 + 2), PLOT_RIGHT - width / 2)
    above, below = item.y - 10, item.y + 20

    def fits(baseline: float) -> bool:
        return PLOT_TOP - 6 <= baseline - FONT_SIZE and baseline <= PLOT_BOTTOM - 2

    for baseline in (above, below):
        if fits(baseline):
            yield x, baseline, "middle"
    middle = item.y + 4
    if item.x_end + 6 + width <= PLOT_RIGHT and fits(middle):
        yield item.x_end + 6, middle, "start"
    if item.x_start - 6 - width >= left and fits(middle):
        yield item.x_start - 6, middle, "end"
    for offset in (13, 26, 39):
        for baseline in (above - offset, below + offset):
            if fits(baseline):
                yield x, baseline, "middle"
    yield x, above if fits(above) else below, "middle"


def _box(place: tuple[float, float, str], width: float) -> tuple[float, float, float, float]:
    x, baseline, anchor = place
    start = {"middle": x - width / 2, "start": x, "end": x - width}[anchor]
    return (start - 2, baseline - FONT_SIZE, start + width + 2, baseline + 2)


def _overlap(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _axis_number(value: float, step: float) -> str:
    """A tick label with as many decimals as the step needs (0.0002 is not "0")."""
    if step >= 0.001 or value == 0:
        return number_label(value)
    decimals = 0
    while round(step * 10**decimals, 9) != int(round(step * 10**decimals, 9)) and decimals < 12:
        decimals += 1
    return f"{value:,.{decimals}f}"


def _description(series: MetricSeries) -> str:
    """What the chart shows, for a screen reader: "Nvidia revenue in bn USD: 130.5 in 2024." and conflicts."""
    drawn = series.drawn_points
    values = [f"{point.value_text} in {point.period.label}" for point in drawn[:MAX_DESCRIBED]]
    if len(drawn) > MAX_DESCRIBED:
        values.append(f"and {len(drawn) - MAX_DESCRIBED} more (see the table)")
    text = f"{series.subject.name} {series.metric} in {series.unit}: {', '.join(values)}."
    for period in series.conflict_periods:
        conflicting = sorted({point.value for point in drawn if point.period == period})
        text += f" Conflict in {period.label}: {' and '.join(value_text(value) for value in conflicting)}."
    if undrawn := len(series.undrawn_points):
        text += f" {undrawn} more {'value is' if undrawn == 1 else 'values are'} in the table only (no period, "
        text += "retracted or superseded)."
    return text
