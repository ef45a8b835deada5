from django import template
from django.utils.safestring import mark_safe

from intel import fragments
from intel.markdown import render_markdown

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(text: str) -> str:
    """Render a markdown body; the HTML is sanitised by nh3 before it is marked safe."""
    return mark_safe(render_markdown(text))  # noqa: S308 - sanitised by nh3 in render_markdown


@register.simple_tag
def page_url(kind, action: str, key, **extra) -> str:
    """{% page_url kind "history" page_key %}: the URL of one of a page's views."""
    return kind.url(action, key, **extra)


@register.filter
def signed(number) -> str:
    """A size change as history shows it: +12, −3, 0."""
    number = int(number or 0)
    return f"+{number:,}" if number > 0 else (f"−{-number:,}" if number < 0 else "0")


@register.filter
def page_key(page, kind) -> str:
    """{{ page|page_key:kind }}: the slug or id of a page in its URL."""
    return kind.key_of(page)


@register.simple_tag
def claim_items(entries):
    """The claims of one section of a page, rendered in Python (see intel.fragments)."""
    return fragments.claim_items(entries)


@register.simple_tag
def reference_items(footnotes):
    return fragments.reference_items(footnotes)


@register.simple_tag
def footnote_marks(numbers):
    return fragments.footnote_marks(numbers)


@register.simple_tag
def anchor_badge(citation):
    """A citation's anchor state (verified, not found…) as a badge that explains itself."""
    return fragments.anchor_badge(citation)


@register.simple_tag
def reliability_badge(reliability):
    """A source's reliability as "B · usually reliable", the Admiralty scale on hover."""
    return mark_safe(fragments.reliability_badge(reliability))  # noqa: S308 - escaped in fragments


@register.simple_tag
def credibility_badge(credibility):
    return mark_safe(fragments.credibility_badge(credibility))  # noqa: S308 - escaped in fragments


@register.simple_tag
def support_badge(claim):
    """ "Unsupported" when none of the claim's sources is approved (citations prefetched)."""
    return mark_safe(fragments.support_badge(claim))  # noqa: S308 - escaped in fragments
