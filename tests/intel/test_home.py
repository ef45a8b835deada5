"""The home page on the demo data: tracked companies, the latest claims, the latest sources."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from intel.models import Claim

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(monkeypatch):
    monkeypatch.setenv("INTEL_DEMO_PASSWORD", "demo-pass-123")
    call_command("load_demo", stdout=open("/dev/null", "w"))


def test_home_page_lists_tracked_companies_latest_claims_and_sources(client, demo):
    response = client.get(reverse("home"))
    assert response.status_code == 200
    html = response.text
    for company in ("Nvidia", "AMD", "ZT Systems"):
        assert company in html
    assert "Microsoft" not in html.split('id="claims-heading"')[0]  # not tracked: not in the company list
    newest = Claim.objects.order_by("-created", "-id").first()
    assert newest.statement in html
    assert "英偉達(dá)「激進」的產(chǎn)品路線圖" in html
    assert "Approved" in html


def test_home_page_links_reach_real_pages(client, demo):
    claim = Claim.objects.filter(citations__isnull=False).first()
    page = client.get(claim.get_absolute_url())
    assert page.status_code == 200
    assert claim.citations.first().quote in page.text
    for url in ("/companies/nvidia/", "/products/gb200/", "/architectures/blackwell/"):
        assert client.get(url).status_code == 200, url


def test_home_page_query_count_does_not_grow_with_the_data(client, demo, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        client.get(reverse("home"))


def test_an_empty_wiki_says_so_instead_of_failing(client):
    html = client.get(reverse("home")).text
    assert "No tracked companies yet." in html
    assert "No claims yet." in html
    assert "No sources yet." in html


def test_a_missing_claim_is_a_404(client):
    assert client.get("/claims/999999/").status_code == 404
