from django import template
from django.utils.safestring import mark_safe

from intel.markdown import render_markdown

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(text: str) -> str:
    """Render a markdown body; the HTML is sanitised by nh3 before it is marked safe."""
    return mark_safe(render_markdown(text))  # noqa: S308 - sanitised by nh3 in render_markdown
