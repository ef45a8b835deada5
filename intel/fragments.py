"""HTML for the long lists of a page — its claims and their numbered references — built in Python.

A company page can carry hundreds of claims and a thousand citations. Django's
template engine spends about a microsecond per variable lookup plus escaping and
localisation on each, which made such a page take ~200 ms; building the same HTML
with f-strings and the standard library's ``html.escape`` takes a fraction of that. The
markup is the same the templates would produce, every value escaped; ``templates/wiki/_claims.html``
lays out the sections around it.
"""

from __future__ import annotations

from functools import cache
from html import escape

from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from intel.choices import ClaimKind, ClaimStatus, Credibility, ModerationState, Reliability

_PLACEHOLDER = 987654321


@cache
def _url_template(name: str, key: str) -> tuple[str, str]:
    """The URL of ``name`` split around its key, so a thousand links cost no reverse() each."""
    url = reverse(name, kwargs={key: _PLACEHOLDER if key == "pk" else "placeholder-slug"})
    return tuple(url.split(str(_PLACEHOLDER) if key == "pk" else "placeholder-slug", 1))


def cached_url(name: str, key: str, value) -> str:
    """The URL of a page by its key, without a reverse() per link (see _url_template)."""
    before, after = _url_template(name, key)
    return f"{before}{value}{after}"


_KIND_LABELS = dict(ClaimKind.choices)
_STATUS_LABELS = dict(ClaimStatus.choices)
_CREDIBILITY_LABELS = dict(Credibility.choices)
_RELIABILITY_LABELS = dict(Reliability.choices)
_MODERATION_LABELS = dict(ModerationState.choices)


def _e(value) -> str:
    """Escape for HTML text and attribute values (the standard library's escape: fast, quotes included)."""
    return escape(str(value), quote=True)


RELIABILITY_SCALE = (
    "Source reliability on the Admiralty scale: A completely reliable, B usually reliable, C fairly reliable, "
    "D not usually reliable, E unreliable, F cannot be judged. Moderators rate sources."
)
CREDIBILITY_SCALE = (
    "Credibility of the information on the Admiralty scale: 1 confirmed by other sources, 2 probably true, "
    "3 possibly true, 4 doubtful, 5 improbable, 6 truth cannot be judged."
)


def reliability_badge(reliability: str) -> str:
    """ "B · usually reliable", with the whole scale on hover: the letter alone explains nothing."""
    words = _RELIABILITY_LABELS.get(reliability, "").partition(": ")[2]
    return (
        f'<span class="badge reliability reliability-{_e(reliability)}" title="{_e(RELIABILITY_SCALE)}">'
        f"{_e(reliability)} · {_e(words)}</span>"
    )


def credibility_badge(credibility) -> str:
    words = str(_CREDIBILITY_LABELS.get(credibility, "")).partition(": ")[2]
    return (
        f'<span class="badge credibility credibility-{_e(credibility)}" title="{_e(CREDIBILITY_SCALE)}">'
        f"{_e(credibility)} · {_e(words)}</span>"
    )


def claim_badges(claim) -> str:
    return (
        f'<span class="badge kind-{_e(claim.kind)}">{_e(_KIND_LABELS.get(claim.kind, claim.kind))}</span> '
        f'<span class="badge status-{_e(claim.status)}" title="Status">'
        f"{_e(_STATUS_LABELS.get(claim.status, claim.status))}</span> "
        f"{credibility_badge(claim.credibility)}"
    )


def support_badge(claim) -> str:
    """ "Unsupported" when none of the claim's sources is approved (its citations must be prefetched)."""
    from intel.workflow import support_of

    support = support_of(claim.citations.all())
    not_found = ""
    if support.quotes_not_found:
        count = support.quotes_not_found
        not_found = (
            f' <span class="badge anchor anchor-not_found" title="Not in the source\'s archived text.">'
            f"{count} quote{'s' if count != 1 else ''} not found</span>"
        )
    if support.unsupported:
        return (
            ' <span class="badge unsupported" title="None of the sources it cites is approved by a moderator yet.">'
            f"Unsupported</span>{not_found}"
        )
    sources = support.approved_sources
    return (
        f' <span class="support-summary" title="Approved sources citing it, and the best reliability among them.">'
        f"{sources} approved source{'s' if sources != 1 else ''}, best {_e(support.best_reliability)}</span>{not_found}"
    )


def _metric(claim) -> str:
    if not claim.metric:
        return ""
    value = format(claim.value.normalize(), "f") if claim.value is not None else ""
    period = f" ({claim.period.label})" if claim.period else ""
    return f' <span class="metric">{_e(claim.metric)}: {_e(value)} {_e(claim.unit)}{_e(period)}</span>'


def _marks(numbers) -> str:
    return "".join(
        f'<sup class="fn"><a href="#ref-{n}" aria-label="reference {n}">[{n}]</a></sup>' for n in map(int, numbers)
    )


def footnote_marks(numbers) -> SafeString:
    return mark_safe(_marks(numbers))  # noqa: S308 - numbers only


def claim_items(entries) -> SafeString:
    """The <li> of each claim in a section: statement, footnote marks, badges."""
    items = []
    for entry in entries:
        claim = entry.claim
        href = _e(cached_url("intel:claim_detail", "pk", claim.pk))
        items.append(
            f'<li class="claim" id="claim-{int(claim.pk)}"><a href="{href}">'
            f"{_e(claim.statement)}</a>{_marks(entry.footnotes)}"
            f'<div class="meta">{claim_badges(claim)}{support_badge(claim)}{_metric(claim)}</div></li>'
        )
    return mark_safe("\n".join(items))  # noqa: S308 - every value escaped above


def reference_items(footnotes) -> SafeString:
    """The numbered reference list: source, speaker, quote in its language, translation, locator, badges."""
    return mark_safe("\n".join(_reference_item(number, citation) for number, citation in footnotes))  # noqa: S308


def _reference_item(number: int, citation) -> str:
    source = citation.source
    language = _e(source.language or "en")
    speaker = (
        f' — <a href="{_e(cached_url("intel:person_detail", "slug", citation.speaker.slug))}">'
        f"{_e(citation.speaker.name)}</a>"
        if citation.speaker_id
        else ""
    )
    publisher = f", {_e(source.publisher)}" if source.publisher else ""
    translation = f' <span class="translation">(“{_e(citation.translation)}”)</span>' if citation.translation else ""
    locator = f' <span class="locator">{_e(citation.locator)}</span>' if citation.locator else ""
    state = source.moderation_state
    return (
        f'<li id="ref-{int(number)}" value="{int(number)}"><span id="citation-{int(citation.pk)}"></span>'
        f'<a href="{_e(cached_url("intel:source_detail", "pk", source.pk))}" lang="{language}">{_e(source.title)}</a>'
        f'{publisher}{speaker}: <q lang="{language}">{_e(citation.quote)}</q>{translation}{locator} '
        f'<span class="badge moderation-{_e(state)}" title="Source moderation">'
        f"{_e(_MODERATION_LABELS.get(state, state))}</span> "
        f"{reliability_badge(source.reliability)} {anchor_badge(citation)}</li>"
    )


# The anchor badge of a citation: its label and the sentence that explains it on hover.
ANCHOR_BADGES = {
    "verified": ("✓ Quote verified", "Found word for word in the source's archived text."),
    "normalised": (
        "✓ Quote verified (normalised)",
        "Found after evening out spacing, quote marks, dashes, full/half-width forms, "
        "simplified/traditional characters or pronunciation notes.",
    ),
    "approximate": ("≈ Approximate", "Not found word for word; the closest passage of the archived text is shown."),
    "ambiguous": (
        "? Ambiguous",
        "The quote occurs more than once in the archived text and its context does not say which place is meant.",
    ),
    "not_found": ("✗ Quote not found", "The quote is not in the source's archived text."),
    "no_snapshot": ("No archived text", "The source has no archived copy yet, so the quote cannot be checked."),
    "unchecked": ("Not checked", "The quote has not been looked up yet."),
}
LOCATED_STATES = ("verified", "normalised", "approximate")


def anchor_badge(citation) -> SafeString:
    """A citation's anchor state as a badge that explains itself; a located quote links to its
    highlight in the source's reader view."""
    state = citation.verification
    label, explanation = ANCHOR_BADGES.get(state, (state, ""))
    if getattr(citation, "anchor_note", ""):
        explanation = citation.anchor_note  # the anchoring's own words: "Found 3 times; …", both lengths…
    if state == "approximate" and citation.anchor_similarity is not None:
        label = f"{label} ({round(citation.anchor_similarity * 100)}%)"
        explanation = f"{explanation[:-1]}, {round(citation.anchor_similarity * 100)}% similar."
    badge = f'<span class="badge anchor anchor-{_e(state)}" title="{_e(explanation)}">{_e(label)}</span>'
    if state in LOCATED_STATES and citation.anchor_start is not None:
        href = cached_url("intel:source_reader", "pk", citation.source_id) + f"#quote-{int(citation.pk)}"
        badge = f'<a class="anchor-link" href="{_e(href)}" title="Show the quote in the archived text">{badge}</a>'
    return mark_safe(badge)  # noqa: S308 - every value escaped above
