"""Done when: on the demo data, 英伟达, 推理, nvdia and "socket" find the right pages first.

Through the results page and the API, on whichever database the suite runs on (CI runs both).
"""

from __future__ import annotations

import pytest
from django.core.management import call_command
from rest_framework.test import APIClient

from tests.intel.pagekit import parse

pytestmark = pytest.mark.django_db

# What the analyst meant, per query: (kind, title) of the first result, or a rule for it.
EXPECTED_FIRST = {
    "英伟达": ("company", "Nvidia"),
    "nvdia": ("company", "Nvidia"),
    "socket": ("milestone", "First socketed Blackwell Ultra boards expected"),
}


@pytest.fixture
def demo(monkeypatch):
    monkeypatch.setenv("INTEL_DEMO_PASSWORD", "demo-pass-123")
    call_command("load_demo", stdout=open("/dev/null", "w"))


def api_first(text: str) -> dict:
    body = APIClient().get("/api/search/", {"q": text}, HTTP_HOST="localhost").json()
    return body["groups"][0] | {"first": body["groups"][0]["results"][0]}


@pytest.mark.parametrize("text", list(EXPECTED_FIRST))
def test_the_demo_names_and_words_find_the_right_page_first(client, demo, text):
    kind, title = EXPECTED_FIRST[text]
    top = api_first(text)
    assert (top["kind"], top["first"]["title"]["text"]) == (kind, title)

    page = parse(client.get("/search/", {"q": text}))
    first_group = page.find("section", cls="search-group")
    assert first_group.get("data-kind") == kind
    assert first_group.find("a", cls="search-title").text == title


def test_the_chinese_word_for_inference_finds_claims_about_inference_first(client, demo):
    top = api_first("推理")
    assert top["kind"] == "claim"
    assert top["total"] >= 5  # inside quotes, in traditional characters, never with spaces around it
    for result in top["results"]:
        snippet = result["snippet"]
        assert snippet["field"] == "quote or translation"
        assert "推理" in [snippet["text"][start:end] for start, end in snippet["highlights"]]
        assert "inference" in result["title"]["text"]

    page = parse(client.get("/search/", {"q": "推理"}))
    first_group = page.find("section", cls="search-group")
    assert first_group.get("data-kind") == "claim"
    assert first_group.find("mark").text == "推理"


def test_every_spelling_of_nvidia_finds_the_company_first(demo):
    for spelling in ["Nvidia", "NVIDIA", "英偉達", "輝達", "辉达", "英伟达", "nvidai"]:
        top = api_first(spelling)
        assert (top["kind"], top["first"]["title"]["text"]) == ("company", "Nvidia"), spelling
