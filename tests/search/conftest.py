"""A small wiki to search: names in several spellings, English and Chinese text, a snapshot."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from companies.models import Company
from companies.services import company_create
from intel.extraction import extract_paste
from intel.models import Claim, Person, Source
from intel.services import claim_create, person_create, snapshot_add, source_create
from products.models import Architecture, Milestone, Product
from products.services import architecture_create, milestone_create, product_create
from tests.intel.pagekit import analyst  # noqa: F401 - a fixture, found by name

SNAPSHOT = (
    "英偉達「激進」的產品路線圖。AI推理時代,英偉達的領導地位可能改變。"
    "英偉達將改變GPU芯片焊接固定在主板上的方式,改為插槽式設計(Socket)。"
)


@dataclass
class Corpus:
    nvidia: Company
    amd: Company
    blackwell: Architecture
    ultra: Product
    socket_milestone: Milestone
    article: Source
    xu: Person
    inference: Claim  # its quote says 推理 inside a sentence, in traditional characters
    socket_claim: Claim  # its statement says socket
    body_only: Claim  # names Nvidia only in its body


@pytest.fixture
def corpus(analyst):  # noqa: F811 - the fixture above, by name
    a = analyst
    nvidia = company_create(
        author=a,
        name="Nvidia",
        slug="nvidia",
        kind="chip_vendor",
        aliases=["NVIDIA", "英偉達", "輝達"],
        body="US designer of GPUs and full AI systems.",
    )
    amd = company_create(
        author=a, name="AMD", slug="amd", kind="chip_vendor", body="Nvidia's closest GPU rival, buying ZT Systems."
    )
    blackwell = architecture_create(author=a, name="Blackwell", slug="blackwell", vendor=nvidia, body="GPU generation.")
    ultra = product_create(
        author=a,
        name="Blackwell Ultra",
        slug="blackwell-ultra",
        vendor=nvidia,
        architecture=blackwell,
        kind="gpu",
        body="A board supplier expects socketed versions in Q3 2025.",
    )
    socket_milestone = milestone_create(
        author=a, title="First socketed Blackwell Ultra boards expected", company=nvidia, product=ultra, kind="ship"
    )
    article = source_create(
        author=a,
        title="英偉達「激進」的產品路線圖",
        title_en="Nvidia's aggressive product roadmap",
        publisher="Leiphone",
        language="zh-Hant",
    )
    snapshot_add(
        source=article, author=a, extracted=extract_paste(SNAPSHOT, max_bytes=10**6), original=SNAPSHOT.encode()
    )
    xu = person_create(author=a, name="Xu Lingjie", slug="xu-lingjie", role="Founder of an AI company")
    inference = claim_create(
        author=a,
        statement="Nvidia lacks a comparable edge in inference.",
        citations=[
            {
                "source": article,
                "quote": "AI推理英偉達就沒有如此明顯的優勢",
                "translation": "in AI inference Nvidia has no such obvious advantage",
            }
        ],
        companies=[nvidia],
    )
    socket_claim = claim_create(
        author=a,
        statement="Nvidia will move GPUs to a pluggable socket design.",
        citations=[
            {"source": article, "quote": "改為插槽式設計(Socket)", "translation": "switching to a socketed design"}
        ],
        companies=[nvidia],
    )
    body_only = claim_create(
        author=a,
        statement="A hyperscaler plans its own accelerator.",
        citations=[{"source": article, "quote": "自研芯片"}],
        body="Seen as a hedge against Nvidia and AMD.",
    )
    return Corpus(nvidia, amd, blackwell, ultra, socket_milestone, article, xu, inference, socket_claim, body_only)
