"""Browser views of the evidence app: thin, they call selectors and services."""

from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.generic import DetailView

from intel import selectors
from intel.models import Claim, Person, Source


def home(request):
    return render(request, "intel/home.html", selectors.home_page())


def claim_detail(request, pk: int):
    try:
        claim = selectors.claim_detail(pk=pk)
    except Claim.DoesNotExist:
        raise Http404("No such claim.") from None
    return render(request, "intel/claim_detail.html", {"claim": claim})


class SourceDetailView(DetailView):
    model = Source
    template_name = "intel/source_detail.html"


class PersonDetailView(DetailView):
    model = Person
    template_name = "intel/person_detail.html"


@login_not_required
def healthz(request):
    """Process is up (for load balancers); says nothing about the database."""
    return HttpResponse("ok", content_type="text/plain")
