from rest_framework.exceptions import NotFound
from rest_framework.negotiation import DefaultContentNegotiation


class ContentNegotiation(DefaultContentNegotiation):
    """DRF's negotiation, with a 404 that names the formats there are instead of a bare "Not found"."""

    def filter_renderers(self, renderers, format):
        matching = [renderer for renderer in renderers if renderer.format == format]
        if not matching:
            offered = " or ".join(sorted({renderer.format for renderer in renderers}))
            raise NotFound(f"No format “{format[:40]}” here; this endpoint answers {offered}.")
        return matching
