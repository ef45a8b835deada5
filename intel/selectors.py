"""Reads of the evidence app. Selectors own select_related/prefetch_related, so a
page's query count does not grow with its size."""

from dataclasses import dataclass
from urllib.parse import urlencode

from django.db import connection
from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet
from django.db.models.functions import Substr
from django.urls import reverse

from companies.models import Company
from intel.choices import SETTLED_CLAIM_STATUSES, ClaimKind, ClaimRelationKind, ClaimStatus, VerificationState
from intel.models import Citation, Claim, ClaimRelation, Person, Source


def claim_list_latest(*, limit: int = 10) -> QuerySet[Claim]:
    """The newest claims with what a list row shows: subjects and citation counts."""
    return (
        Claim.objects.order_by("-created", "-id")
        .annotate(citation_count=Count("citations", distinct=True))
        .prefetch_related("companies")[:limit]
    )


def source_list_latest(*, limit: int = 10) -> QuerySet[Source]:
    return Source.objects.order_by("-created", "-id").annotate(citation_count=Count("citations"))[:limit]


def company_list_tracked() -> QuerySet[Company]:
    return Company.objects.filter(tracked=True).annotate(claim_count=Count("claims", distinct=True)).order_by("name")


def home_page() -> dict:
    """Everything the home page shows."""
    return {
        "tracked_companies": company_list_tracked(),
        "latest_claims": claim_list_latest(),
        "latest_sources": source_list_latest(),
    }


@dataclass
class ClaimEntry:
    claim: Claim
    footnotes: list[int]  # the numbers of its citations in the page's reference list


@dataclass
class ClaimSection:
    kind_label: str
    entries: list[ClaimEntry]
    # Set when the page shows only the newest of this kind: the claims list with all of them.
    more_url: str = ""


# A page lists the newest claims of each kind about it; the claims list (/claims/?company=…) has them all.
PAGE_CLAIMS_PER_KIND = 20


CITATION_ROW_FIELDS = (
    "id", "claim_id", "quote", "translation", "locator", "source_id", "speaker_id",
    "verification", "anchor_start", "anchor_similarity", "anchor_note",
    "source__id", "source__title", "source__publisher", "source__language", "source__reliability",
    "source__moderation_state", "speaker__id", "speaker__name", "speaker__slug",
)  # fmt: skip


def claims_with_citations(queryset: QuerySet[Claim]) -> QuerySet[Claim]:
    """Claims with everything a page shows of them, in a fixed number of queries."""
    citations = (
        Citation.objects.select_related("source", "speaker")
        # A source's snapshot can be megabytes: a page needs only what a reference shows.
        .only(*CITATION_ROW_FIELDS)
        .order_by("id")
    )
    return queryset.prefetch_related(Prefetch("citations", queryset=citations)).order_by("kind", "-created", "-id")


def newest_claims(queryset: QuerySet[Claim], *, per_kind: int = PAGE_CLAIMS_PER_KIND) -> tuple[list[Claim], set[str]]:
    """The newest ``per_kind`` claims of each kind in ``queryset``, with their citations; the kinds that have more.

    One small query a kind, which walks the claims from the newest and stops after per_kind + 1,
    then the claims and their citations: a company with a hundred thousand claims costs its page
    what one with ten does.
    """
    ids, more = [], set()
    for kind in ClaimKind.values:
        found = list(queryset.filter(kind=kind).order_by("-id").values_list("pk", flat=True)[: per_kind + 1])
        if len(found) > per_kind:
            more.add(kind)
        ids += found[:per_kind]
    return (list(claims_with_citations(Claim.objects.filter(pk__in=ids))) if ids else []), more


def claim_entries(claims) -> tuple[list[ClaimEntry], list[tuple[int, Citation]]]:
    """Claims in the order given, each with the numbers of its citations in the reference list."""
    entries: list[ClaimEntry] = []
    footnotes: list[tuple[int, Citation]] = []
    for claim in claims:
        numbers = []
        for citation in claim.citations.all():
            footnotes.append((len(footnotes) + 1, citation))
            numbers.append(len(footnotes))
        entries.append(ClaimEntry(claim=claim, footnotes=numbers))
    return entries, footnotes


def claim_sections(
    claims, *, more: set[str] = frozenset(), list_query: dict | None = None
) -> tuple[list[ClaimSection], list[tuple[int, Citation]]]:
    """Claims grouped by kind, and the page's numbered reference list (one number per citation).

    A kind in ``more`` links to the claims list filtered by ``list_query`` and that kind.
    """
    sections: dict[str, ClaimSection] = {}
    entries, footnotes = claim_entries(claims)
    for entry in entries:
        claim = entry.claim
        label = str(ClaimKind(claim.kind).label) if claim.kind in ClaimKind.values else claim.kind
        if claim.kind not in sections:
            more_url = ""
            if claim.kind in more and list_query is not None:
                more_url = f"{reverse('intel:claim_list')}?{urlencode(list_query | {'kind': claim.kind})}"
            sections[claim.kind] = ClaimSection(kind_label=label, entries=[], more_url=more_url)
        sections[claim.kind].entries.append(entry)
    order = list(ClaimKind.values)
    ordered = sorted(sections.items(), key=lambda item: order.index(item[0]) if item[0] in order else len(order))
    return [section for _, section in ordered], footnotes


def _in_ids(column: str, ids: list[int]) -> tuple[str, list]:
    """``column`` is one of ``ids``: one array parameter on PostgreSQL (a long IN list costs it milliseconds
    to parse and plan), an IN list on SQLite."""
    if connection.vendor == "postgresql":
        return f"{column} = ANY(%s)", [ids]
    return f"{column} IN ({', '.join(['%s'] * len(ids))})", list(ids)


def claim_links(claim_ids) -> dict[int, dict[str, list[dict]]]:
    """The companies, products and milestones each claim is about, as brief dicts, in one query.

    Three prefetches would be three round trips per list page; a UNION ALL over the
    three link tables is one. Links are listed by name (milestones by title). The SQL is
    written out (names from the models): the ORM took longer to compile the union than the
    database to run it (bench/run.py, "API list").
    """
    ids = list(claim_ids)
    links: dict[int, dict[str, list[dict]]] = {
        claim_id: {"companies": [], "products": [], "milestones": []} for claim_id in ids
    }
    if not ids:
        return links
    parts, params = [], []
    # (link field of Claim, the linked model's slug field and its name; milestones have no slug)
    for kind, slug, name in (
        ("companies", "slug", "name"),
        ("products", "slug", "name"),
        ("milestones", None, "title"),
    ):
        field = Claim._meta.get_field(kind)
        through, target = field.remote_field.through._meta, field.related_model._meta
        column = field.m2m_reverse_name()
        slug_sql = f"t.{slug}" if slug else "''"
        condition, values = _in_ids("l.claim_id", ids)
        parts.append(
            f"SELECT l.claim_id, %s, t.{target.pk.column}, {slug_sql}, t.{name} FROM {through.db_table} l "
            f"JOIN {target.db_table} t ON t.{target.pk.column} = l.{column} WHERE {condition}"
        )
        params += [kind, *values]
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts), params)
        for claim_id, kind, link_id, slug, name in cursor.fetchall():
            if kind == "milestones":
                links[claim_id][kind].append({"id": link_id, "title": name})
            else:
                links[claim_id][kind].append({"id": link_id, "slug": slug, "name": name})
    for by_kind in links.values():
        for items in by_kind.values():
            items.sort(key=lambda item: (item.get("name") or item.get("title"), item["id"]))
    return links


def claim_citation_rows(claim_ids) -> dict[int, list[dict]]:
    """Each claim's citations as the API shows them (source and speaker brief), in one query.

    Plain values, not model instances: a page of 100 claims has some 200 citations, each
    with a source and a speaker, and building 600 model objects was most of the time.
    The source's snapshot text is never read.
    """
    ids = list(claim_ids)
    rows: dict[int, list[dict]] = {claim_id: [] for claim_id in ids}
    if not ids:
        return rows
    # Written out, as claim_links: the ORM spent longer on a hundred ids than the database did.
    condition, params = _in_ids("c.claim_id", ids)
    citation, source, person = (model._meta.db_table for model in (Citation, Source, Person))
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT c.claim_id, c.id, s.id, s.title, s.publisher, s.reliability, s.moderation_state, p.id, p.slug, "
            f"p.name, c.quote, c.translation, c.locator, c.verification, c.anchor_note FROM {citation} c "
            f"JOIN {source} s ON s.id = c.source_id LEFT JOIN {person} p ON p.id = c.speaker_id "
            f"WHERE {condition} ORDER BY c.claim_id, c.id",
            params,
        )
        citations = cursor.fetchall()
    for claim_id, pk, source_id, title, publisher, reliability, moderation, speaker_id, slug, name, *rest in citations:
        quote, translation, locator, verification, anchor_note = rest
        rows[claim_id].append(
            {
                "id": pk,
                "source": {
                    "id": source_id,
                    "title": title,
                    "publisher": publisher,
                    "reliability": reliability,
                    "moderation_state": moderation,
                },
                "speaker": {"id": speaker_id, "slug": slug, "name": name} if speaker_id else None,
                "quote": quote,
                "translation": translation,
                "locator": locator,
                "verification": verification,
                "verification_note": anchor_note,
            }
        )
    return rows


# ---------------------------------------------------------------------------
# Moderation


@dataclass
class QueueEntry:
    """One source in the moderation queue, with what a moderator decides on."""

    source: Source
    claims: list[dict]  # the claims citing it (id, statement), a few
    claim_count: int
    anchors: dict[str, int]  # verification state → how many of its citations

    @property
    def anchor_counts(self) -> list[tuple[str, str, int]]:
        """(state, its label, count) of the citations' anchor states, for badges."""
        return [(state, VerificationState(state).label, count) for state, count in sorted(self.anchors.items())]

    @property
    def more_claims(self) -> int:
        return self.claim_count - len(self.claims)


QUEUE_CLAIMS_SHOWN = 5
QUEUE_PREVIEW_CHARS = 600
QUEUE_LIMIT = 200


def moderation_queue(*, state: str, limit: int = QUEUE_LIMIT) -> list[QueueEntry]:
    """Sources in one moderation state, oldest first, with a preview of their archived text and the
    claims citing them: three queries, whatever the length of the queue. The preview is cut in the
    database, so a megabyte snapshot is never read whole."""
    sources = list(
        Source.objects.filter(moderation_state=state)
        .select_related("submitted_by", "moderated_by")
        .annotate(
            preview=Substr("snapshot__text", 1, QUEUE_PREVIEW_CHARS),
            snapshot_size=F("snapshot__size"),
            snapshot_sha=F("snapshot__sha256"),
        )
        .order_by("created", "id")[:limit]
    )
    by_source = {source.pk: QueueEntry(source=source, claims=[], claim_count=0, anchors={}) for source in sources}
    seen: dict[int, set[int]] = {pk: set() for pk in by_source}
    rows = (
        Citation.objects.filter(source_id__in=by_source)
        .order_by("source_id", "claim_id")
        .values_list("source_id", "claim_id", "claim__statement", "verification")
    )
    for source_id, claim_id, statement, verification in rows:
        entry = by_source[source_id]
        entry.anchors[verification] = entry.anchors.get(verification, 0) + 1
        if claim_id not in seen[source_id]:
            seen[source_id].add(claim_id)
            entry.claim_count += 1
            if len(entry.claims) < QUEUE_CLAIMS_SHOWN:
                entry.claims.append({"id": claim_id, "statement": statement})
    return list(by_source.values())


def moderation_counts() -> dict[str, int]:
    """How many sources are in each moderation state: one query."""
    rows = Source.objects.order_by().values("moderation_state").annotate(n=Count("id"))
    return {row["moderation_state"]: row["n"] for row in rows}


# ---------------------------------------------------------------------------
# Disputes


@dataclass
class Dispute:
    """Two claims that contradict each other (the link says which contradicts which)."""

    relation: ClaimRelation
    first: Claim
    second: Claim


DISPUTES_SHOWN = 50  # the newest disputes (and claims disputed alone) a page lists; it says how many more
DISPUTES_COUNTED = 1000  # beyond that a page says "more than 1,000": counting 80,000 disputes costs a second


class Tally(int):
    """A count that stopped at a cap: shown as "5,114", or as "more than 1,000" once past the cap.

    An int, so templates compare and pluralize it as before; counting every row of a big set
    (80,000 disputed claims at scale L) would cost more than the rest of the page."""

    cap: int

    def __new__(cls, value: int, *, cap: int):
        tally = super().__new__(cls, min(value, cap + 1))
        tally.cap = cap
        return tally

    @property
    def capped(self) -> bool:
        return self > self.cap

    def __str__(self) -> str:
        return f"more than {self.cap:,}" if self.capped else f"{int(self):,}"


def count_up_to(queryset: QuerySet, cap: int) -> Tally:
    """How many rows ``queryset`` has, counted no further than ``cap`` + 1 (a LIMIT inside the COUNT)."""
    return Tally(queryset[: cap + 1].count(), cap=cap)


def disputes_page(*, company: Company | None = None, limit: int = DISPUTES_SHOWN) -> dict:
    """The newest ``limit`` pairs of contradicting claims with their citations and sources, and the newest
    ``limit`` claims marked disputed without a contradicting claim linked, with how many there are of each
    (up to DISPUTES_COUNTED): six queries, however many there are (a company can have thousands at scale).

    With ``company``, only the disputes in which at least one of the claims is about it.
    Retracted and superseded claims are settled: their contradictions are not open disputes. A
    claim still marked disputed once its contradiction is settled is listed on its own, so a
    moderator sees that its status needs settling too."""
    settled = SETTLED_CLAIM_STATUSES
    contradictions = ClaimRelation.objects.filter(kind=ClaimRelationKind.CONTRADICTS)
    relations = contradictions.exclude(Q(from_claim__status__in=settled) | Q(to_claim__status__in=settled))
    disputed = Claim.objects.filter(status=ClaimStatus.DISPUTED)
    if company is not None:
        about = Claim.companies.through.objects.filter(company=company).values("claim_id")
        relations = relations.filter(Q(from_claim__in=about) | Q(to_claim__in=about))
        disputed = disputed.filter(pk__in=about)
    # A disputed claim is not settled, so its contradiction is open when the other end is not: two NOT EXISTS,
    # which the database runs as anti-joins (one NOT EXISTS of an OR it could only run as a hashed subplan).
    alone = disputed.exclude(
        Exists(contradictions.filter(from_claim=OuterRef("pk")).exclude(to_claim__status__in=settled))
    ).exclude(Exists(contradictions.filter(to_claim=OuterRef("pk")).exclude(from_claim__status__in=settled)))
    shown_relations = list(relations.order_by("-created", "-id")[:limit])
    shown_alone = list(alone.order_by("-created", "-id").values_list("pk", flat=True)[:limit])
    wanted = {pk for relation in shown_relations for pk in (relation.from_claim_id, relation.to_claim_id)}
    claims = {
        claim.pk: claim for claim in claims_with_citations(Claim.objects.filter(pk__in=wanted | set(shown_alone)))
    }
    return {
        "disputes": [
            Dispute(relation=relation, first=claims[relation.from_claim_id], second=claims[relation.to_claim_id])
            for relation in shown_relations
        ],
        "disputes_total": count_up_to(relations, DISPUTES_COUNTED),
        "disputed_alone": [claims[pk] for pk in shown_alone],
        "disputed_alone_total": count_up_to(alone, DISPUTES_COUNTED),
    }


def snapshot_anchor_counts(snapshot) -> dict[str, int]:
    """How many citations anchored in ``snapshot`` ended in each state: one query."""
    rows = snapshot.citations.order_by().values("verification").annotate(n=Count("id"))
    return {row["verification"]: row["n"] for row in rows}


def describe_filters(filterset) -> list[dict]:
    """The filters a list was asked for, in words: [{"name": "company", "label": "Company", "value": "Nvidia, AMD"}]."""
    described = []
    for name, value in filterset.form.cleaned_data.items():
        if value in (None, "", [], ()):
            continue
        filter_ = filterset.filters[name]
        model = getattr(filter_.field, "model", None)
        if model is not None:  # pages by id: their names
            text = ", ".join(str(page) for page in model.objects.filter(pk__in=value).order_by("pk"))
        elif getattr(filter_.field, "choices", None):
            labels = dict(filter_.field.choices)
            text = ", ".join(str(labels.get(item, item)) for item in (value if isinstance(value, list) else [value]))
        elif isinstance(value, bool):
            text = "yes" if value else "no"
        else:
            text = str(value)
        described.append({"name": name, "label": name.replace("_", " ").capitalize(), "value": text})
    return described
