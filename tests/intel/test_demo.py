"""load_demo gives a new user a working wiki with the GTC 2025 dataset, and is idempotent."""

from pathlib import Path

import pytest
from django.apps import apps
from django.contrib.auth import authenticate, get_user_model
from django.core.management import call_command
from django.test import RequestFactory
from reversion.models import Revision

from intel import demo_data
from intel.choices import ClaimKind, ClaimRelationKind, ModerationState, Role
from intel.models import Claim, ClaimRelation, Source

pytestmark = pytest.mark.django_db

SEED = Path(__file__).resolve().parents[3] / "shared" / "seeds" / "gtc2025-roadmap-article.txt"
TRACKED_MODELS = [
    "companies.Company",
    "companies.CompanyRelation",
    "products.Architecture",
    "products.Product",
    "products.Milestone",
    "intel.Source",
    "intel.Person",
    "intel.Claim",
    "intel.Citation",
    "intel.ClaimRelation",
]


def counts():
    return {label: apps.get_model(label).objects.count() for label in TRACKED_MODELS} | {
        "users": get_user_model().objects.count(),
        "revisions": Revision.objects.count(),
    }


def test_running_load_demo_twice_gives_the_same_counts(monkeypatch):
    monkeypatch.setenv("INTEL_DEMO_PASSWORD", "demo-pass-123")
    call_command("load_demo", stdout=open("/dev/null", "w"))
    first = counts()
    call_command("load_demo", stdout=open("/dev/null", "w"))
    assert counts() == first
    assert first["intel.Claim"] >= 30
    assert first["users"] == 4


def test_the_demo_covers_what_the_article_says(monkeypatch):
    monkeypatch.setenv("INTEL_DEMO_PASSWORD", "demo-pass-123")
    call_command("load_demo", stdout=open("/dev/null", "w"))

    nvidia_aliases = set(apps.get_model("companies.Company").objects.get(slug="nvidia").aliases)
    assert {"NVIDIA", "英偉達", "輝達", "英伟达"} <= nvidia_aliases
    assert Claim.objects.filter(kind=ClaimKind.METRIC).exclude(unit="").count() >= 10
    assert not Claim.objects.filter(citations__isnull=True).exists()
    assert Claim.objects.filter(kind=ClaimKind.FORECAST).exists()
    assert Claim.objects.filter(kind=ClaimKind.OPINION).exists()
    assert ClaimRelation.objects.filter(kind=ClaimRelationKind.CONTRADICTS).exists()
    forty_x = Claim.objects.get(statement__contains="40 times")
    assert forty_x.relations_in.filter(kind=ClaimRelationKind.BREAKS_DOWN).count() >= 3
    assert (
        apps.get_model("companies.CompanyRelation")
        .objects.filter(subject__slug="amd", kind="acquired", object__slug="zt-systems")
        .exists()
    )
    socket = apps.get_model("products.Milestone").objects.get(
        product__slug="blackwell-ultra", target_precision="quarter"
    )
    assert str(socket.target) == "2025-Q3"
    pseudonyms = set(apps.get_model("intel.Person").objects.filter(is_pseudonym=True).values_list("slug", flat=True))
    assert len(pseudonyms) == 3
    source = Source.objects.get(published_date="2025-03-24")
    assert source.moderation_state == ModerationState.APPROVED
    assert source.moderated_by.username == "moderator"
    # The moderation queue of the demo: sources an analyst submitted, waiting for a moderator.
    pending = Source.objects.filter(moderation_state=ModerationState.PENDING)
    assert pending.count() == len(demo_data.PENDING_SOURCES) >= 2
    assert {source.submitted_by.username for source in pending} == {"analyst"}
    # The contradicting opinions are disputed, by the workflow's rule (a contradicting claim is linked).
    assert set(Claim.objects.filter(status="disputed").values_list("status_note", flat=True)) == {
        "Demo: the sources disagree."
    }


def login_request():
    """What the login form hands to authenticate(): the throttling (django-axes) needs the request."""
    return RequestFactory().post("/accounts/login/")


def test_one_user_per_role_with_the_password_from_the_environment(monkeypatch):
    monkeypatch.setenv("INTEL_DEMO_PASSWORD", "demo-pass-123")
    call_command("load_demo", stdout=open("/dev/null", "w"))
    for role in Role:
        user = authenticate(login_request(), username=role.value, password="demo-pass-123")
        assert user is not None
        assert user.groups.filter(name=role.value).exists()
    assert get_user_model().objects.get(username="admin").is_superuser
    assert get_user_model().objects.get(username="moderator").has_perm("intel.moderate_source")
    assert not get_user_model().objects.get(username="analyst").has_perm("intel.moderate_source")
    assert not get_user_model().objects.get(username="reader").has_perm("intel.change_claim")


def test_without_a_password_each_user_gets_a_random_one_printed_once(monkeypatch, capsys):
    monkeypatch.delenv("INTEL_DEMO_PASSWORD", raising=False)
    call_command("load_demo")
    first = capsys.readouterr().out
    line = next(line for line in first.splitlines() if line.strip().startswith("analyst:"))
    password = line.split(":", 1)[1].strip()
    assert authenticate(login_request(), username="analyst", password=password) is not None
    call_command("load_demo")
    assert password not in capsys.readouterr().out


@pytest.mark.skipif(not SEED.exists(), reason="the seed article lives in shared/, beside the repository")
def test_every_quote_is_a_short_verbatim_fragment_of_the_seed_article():
    article = SEED.read_text(encoding="utf-8")
    for claim in demo_data.CLAIMS:
        for citation in claim["citations"]:
            assert citation["quote"] in article, citation["quote"]
            assert len(citation["quote"]) <= 45, citation["quote"]


def test_demo_statements_are_our_own_words_not_the_articles(monkeypatch):
    """Statements are English paraphrases: no run of Chinese text is copied into them."""
    for claim in demo_data.CLAIMS:
        assert not any("\u4e00" <= char <= "\u9fff" for char in claim["statement"]), claim["statement"]
