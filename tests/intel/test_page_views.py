"""The wiki through the browser's door: every kind of page, its forms, history, permissions,
feeds and search, driven with Django's test client and read back from the rendered HTML.

Forms are read from the page the way a browser reads them (:func:`form_data`) and posted
back with what an analyst would change (:func:`submit`, which also encodes line ends as a
browser does), so a test fails when the template, the form and the view stop agreeing,
not only when a service does.
"""

from __future__ import annotations

import datetime
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from decimal import Decimal
from html.parser import HTMLParser
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils.text import slugify
from reversion.models import Revision

from companies.models import Company
from companies.services import company_create
from intel import editing
from intel.choices import ChangeAction, ClaimKind, ModerationState, Role
from intel.demo import load_demo
from intel.models import Change, Citation, Claim, Person, Source, Watch
from intel.pages import PAGE_KINDS, content_type_of, kind_for_model, page_state
from intel.services import claim_create, person_create, source_create
from products.models import Architecture, Milestone, Product
from products.services import architecture_create, milestone_create, product_create
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

KIND_KEYS = list(PAGE_KINDS)
ATOM = "{http://www.w3.org/2005/Atom}"


# ---------------------------------------------------------------------------
# Reading pages: a small DOM built with html.parser


VOID_ELEMENTS = frozenset("area base br col embed hr img input link meta source track wbr".split())


class Element:
    """One element of a parsed page: its tag, attributes and children (elements and strings)."""

    def __init__(self, tag: str, attrs: dict, parent: Element | None = None):
        self.tag, self.attrs, self.parent = tag, attrs, parent
        self.children: list[Element | str] = []

    def __repr__(self):
        return f"<{self.tag} {self.attrs}>"

    def get(self, name: str, default=None):
        return self.attrs.get(name, default)

    def has_class(self, name: str) -> bool:
        return name in (self.attrs.get("class") or "").split()

    @property
    def text(self) -> str:
        return "".join(child if isinstance(child, str) else child.text for child in self.children)

    def descendants(self, *, skip: tuple[str, ...] = ()):
        """Every element below this one, in document order; the insides of ``skip`` tags are left out."""
        for child in self.children:
            if isinstance(child, Element):
                yield child
                if child.tag not in skip:
                    yield from child.descendants(skip=skip)

    def find_all(self, tag: str | None = None, *, cls: str | None = None, **attrs) -> list[Element]:
        return [
            element
            for element in self.descendants()
            if (tag is None or element.tag == tag)
            and (cls is None or element.has_class(cls))
            and all(element.attrs.get(name) == value for name, value in attrs.items())
        ]

    def find(self, tag: str | None = None, *, cls: str | None = None, **attrs) -> Element:
        """The first match; the test fails, saying what was looked for, when there is none."""
        found = self.find_all(tag, cls=cls, **attrs)
        assert found, f"no <{tag or '*'}> with class={cls!r} {attrs} here"
        return found[0]


class _TreeBuilder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Element("#document", {})
        self.stack = [self.root]

    def handle_starttag(self, tag, attrs):
        element = Element(tag, dict(attrs), self.stack[-1])
        self.stack[-1].children.append(element)
        if tag not in VOID_ELEMENTS:
            self.stack.append(element)

    def handle_startendtag(self, tag, attrs):
        self.stack[-1].children.append(Element(tag, dict(attrs), self.stack[-1]))

    def handle_endtag(self, tag):
        for index in range(len(self.stack) - 1, 0, -1):
            if self.stack[index].tag == tag:
                del self.stack[index:]
                return

    def handle_data(self, data):
        self.stack[-1].children.append(data)


def parse(response_or_html) -> Element:
    html = response_or_html if isinstance(response_or_html, str) else response_or_html.content.decode()
    builder = _TreeBuilder()
    builder.feed(html)
    builder.close()
    return builder.root


def form_data(response, *, cls: str | None = "wiki-form", **attrs) -> dict[str, str | list[str]]:
    """What a browser would submit from the page's form (the first of this class, or with these
    attributes): typed text, checked boxes, selected options and hidden fields; never buttons,
    disabled fields or the rows inside a <template>."""
    form = parse(response).find("form", cls=cls, **attrs)
    pairs: dict[str, list[str]] = {}
    for element in form.descendants(skip=("template",)):
        name = element.get("name")
        if not name or "disabled" in element.attrs or element.tag not in ("input", "textarea", "select"):
            continue
        if element.tag == "input":
            kind = (element.get("type") or "text").lower()
            if kind in ("submit", "button", "reset", "image", "file"):
                continue
            if kind in ("checkbox", "radio"):
                if "checked" in element.attrs:
                    pairs.setdefault(name, []).append(element.get("value") or "on")
                continue
            pairs.setdefault(name, []).append(element.get("value") or "")
        elif element.tag == "textarea":
            # The HTML parser of a browser drops the newline right after <textarea>.
            pairs.setdefault(name, []).append(element.text.removeprefix("\n"))
        else:
            options = element.find_all("option")
            chosen = [option for option in options if "selected" in option.attrs]
            if not chosen and options and "multiple" not in element.attrs:
                chosen = options[:1]
            for option in chosen:
                pairs.setdefault(name, []).append(option.get("value", option.text))
    return {name: values[0] if len(values) == 1 else values for name, values in pairs.items()}


def _as_browser_sends(value):
    """Browsers send every line end of a form value as CRLF."""
    if isinstance(value, list):
        return [_as_browser_sends(item) for item in value]
    return re.sub(r"\r\n|\r|\n", "\r\n", str(value))


def submit(client: Client, url: str, data: dict, *, press: str = "save", follow: bool = False):
    """Post a form as a browser does: its fields, the button pressed, line ends as CRLF."""
    fields = {name: _as_browser_sends(value) for name, value in data.items()}
    fields[press] = "1" if press == "preview" else ""
    return client.post(url, fields, follow=follow)


def lf(text: str) -> str:
    """A text with LF line ends, to compare what a form holds with what was typed."""
    return text.replace("\r\n", "\n")


def messages_of(response) -> list[str]:
    return [item.text.strip() for item in parse(response).find_all("ul", cls="messages")[0].find_all("li")]


def field_errors(response, name: str) -> list[str]:
    """The errors shown in the same field block as the control named ``name``."""
    for block in parse(response).find_all("div", cls="field"):
        if block.find_all(name=name):
            return [item.text.strip() for item in block.find_all("li")]
    raise AssertionError(f"no field block holds a control named {name!r}")


def infobox(doc: Element) -> dict[str, str]:
    aside = doc.find("aside", cls="infobox")
    return {row.find("th").text.strip(): row.find("td").text.strip() for row in aside.find_all("tr")}


def footnote_links(element: Element) -> list[tuple[str, str]]:
    return [(link.text, link.get("href")) for link in element.find_all("a") if link.get("href", "").startswith("#ref-")]


def change_rows(response) -> list[dict[str, str]]:
    """The rows of a list of changes (recent changes, contributions, watchlist)."""
    rows = []
    tables = parse(response).find_all("table", cls="changes")  # none when the list is empty
    for row in tables[0].find("tbody").find_all("tr") if tables else []:
        cells = [cell.text.strip() for cell in row.find_all("td")]
        rows.append({"page": cells[1], "who": cells[2], "what": cells[3], "size": cells[4]})
    return rows


def history_rows(response) -> list[dict[str, str]]:
    rows = []
    for row in parse(response).find("table", cls="history").find("tbody").find_all("tr"):
        cells = row.find_all("td")
        rows.append(
            {
                "revision": cells[2].text.strip(),
                "who": cells[4].text.strip(),
                "summary": " ".join(cells[5].text.split()),
                "size": cells[6].text.strip(),
                "merged": bool(cells[5].find_all("span", cls="merged")),
            }
        )
    return rows


def is_login_redirect(response, next_url: str) -> bool:
    if response.status_code != 302:
        return False
    location = urlsplit(response.url)
    return location.path == "/accounts/login/" and parse_qs(location.query).get("next") == [next_url]


# ---------------------------------------------------------------------------
# People and pages


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def analyst():
    return UserFactory(username="ana", role=Role.ANALYST)


@pytest.fixture
def other_analyst():
    return UserFactory(username="bob", role=Role.ANALYST)


@pytest.fixture
def reader():
    return UserFactory(username="rita", role=Role.READER)


@pytest.fixture
def analyst_client(client, analyst):
    client.force_login(analyst)
    return client


@dataclass
class Deps:
    """What new pages point at: a vendor company and a source to cite."""

    company: Company
    source: Source


@pytest.fixture
def deps(analyst):
    return Deps(
        company=company_create(author=analyst, name="Acme Silicon", slug="acme-silicon", kind="chip_vendor"),
        source=source_create(author=analyst, title="Acme launch event", kind="keynote", publisher="Acme"),
    )


def make_page(kind_key: str, *, author, deps: Deps, name: str = "Lone page", body: str = "Standalone page."):
    """A page of the kind that nothing refers to (so it can be deleted), made through the services."""
    slug = slugify(name)
    match kind_key:
        case "company":
            return company_create(author=author, name=name, slug=slug, body=body)
        case "architecture":
            return architecture_create(author=author, name=name, slug=slug, vendor=deps.company, body=body)
        case "product":
            return product_create(author=author, name=name, slug=slug, vendor=deps.company, kind="gpu", body=body)
        case "milestone":
            return milestone_create(author=author, title=name, company=deps.company, kind="announce", body=body)
        case "source":
            return source_create(author=author, title=name, body=body)
        case "person":
            return person_create(author=author, name=name, slug=slug, body=body)
        case "claim":
            citations = [{"source": deps.source, "quote": "As quoted in the launch event."}]
            return claim_create(author=author, statement=name, citations=citations, body=body)
    raise ValueError(kind_key)


def service_edit(page, author, *, summary: str = "", **values):
    """An edit saved through the service, as another analyst's browser would have saved it."""
    kind = kind_for_model(type(page))
    fresh = type(page).objects.get(pk=page.pk)
    return editing.page_update(
        kind=kind,
        page=fresh,
        author=author,
        values=values,
        base_revision=editing.latest_revision_id(fresh),
        summary=summary,
    )


def reload(page):
    return type(page).objects.get(pk=page.pk)


def exists(kind, key) -> bool:
    return kind.model.objects.filter(**{kind.lookup: key}).exists()


# What an analyst types into an empty form of each kind. The field linking to a company is
# left out where the "new page" link of a company page prefills it (PREFILLED_BY_LINK).
def typed_values(kind_key: str, deps: Deps) -> dict[str, str]:
    source = str(deps.source.pk)
    return {
        "company": {
            "name": "Cerebras",
            "slug": "cerebras",
            "aliases": "Cerebras Systems\n塞瑞布拉斯",
            "kind": "chip_vendor",
            "country": "US",
            "website": "https://cerebras.ai",
            "founded": "2016",
            "tracked": "on",
            "body": "Wafer-scale **chips**.",
        },
        "architecture": {"name": "Rubin", "slug": "rubin", "introduced": "2026-H2", "body": "Next **generation**."},
        "product": {
            "name": "Rubin NVL144",
            "slug": "rubin-nvl144",
            "kind": "system",
            "status": "announced",
            "body": "A **rack**.",
        },
        "milestone": {
            "title": "Rubin ships",
            "kind": "ship",
            "target": "2026-Q3",
            "status": "planned",
            "body": "Expected **late**.",
        },
        "source": {
            "title": "Hot Chips 2025 talk",
            "kind": "keynote",
            "url": "https://example.com/hot-chips-2025",
            "publisher": "Hot Chips",
            "authors": "A. Author\nB. Author",
            "language": "en",
            "published_date": "2025-08-25",
            "body": "Slides **and** video.",
        },
        "person": {
            "name": "Lisa Su",
            "slug": "lisa-su",
            "aliases": "蘇姿丰",
            "role": "CEO",
            "body": "Runs **AMD**.",
        },
        "claim": {
            "statement": "Rubin ships in the third quarter of 2026.",
            "kind": "plan",
            "credibility": "2",
            "body": "From the **keynote**.",
            "citations-0-source": source,
            "citations-0-quote": "Rubin is on track for Q3.",
            "citations-0-locator": "slide 12",
        },
    }[kind_key]


PREFILLED_BY_LINK = {
    "architecture": "vendor",
    "product": "vendor",
    "milestone": "company",
    "person": "affiliation",
    "claim": "companies",
}


def expected_state(kind_key: str, deps: Deps) -> dict:
    """Part of the state a page made from typed_values must have."""
    company = deps.company.pk
    return {
        "company": {
            "name": "Cerebras",
            "aliases": ["Cerebras Systems", "塞瑞布拉斯"],
            "founded": 2016,
            "tracked": True,
        },
        "architecture": {"name": "Rubin", "vendor": company, "introduced": "2026-H2"},
        "product": {"name": "Rubin NVL144", "vendor": company, "kind": "system"},
        "milestone": {"title": "Rubin ships", "company": company, "target": "2026-Q3"},
        "source": {
            "title": "Hot Chips 2025 talk",
            "authors": ["A. Author", "B. Author"],
            "published_date": "2025-08-25",
        },
        "person": {"name": "Lisa Su", "affiliation": company, "aliases": ["蘇姿丰"]},
        "claim": {"statement": "Rubin ships in the third quarter of 2026.", "companies": [company], "credibility": 2},
    }[kind_key]


# ---------------------------------------------------------------------------
# A small wiki: one page of every kind, two claims about them, and a page linking to all


BODY = "Notes with **bold words**.\n\n* first point\n* second point"


@dataclass
class World:
    nvidia: Company
    blackwell: Architecture
    gb200: Product
    ships: Milestone
    keynote: Source
    jensen: Person
    shipping: Claim  # a fact with one citation
    revenue: Claim  # a metric with two citations
    notes: Person  # its body links to every page above

    def page(self, kind_key: str):
        return {
            "company": self.nvidia,
            "architecture": self.blackwell,
            "product": self.gb200,
            "milestone": self.ships,
            "source": self.keynote,
            "person": self.jensen,
            "claim": self.revenue,
        }[kind_key]


@pytest.fixture
def world(analyst):
    a = analyst
    nvidia = company_create(
        author=a,
        name="Nvidia",
        slug="nvidia",
        kind="chip_vendor",
        country="US",
        website="https://www.nvidia.com",
        founded=1993,
        aliases=["NVIDIA", "英偉達"],
        tracked=True,
        body=BODY,
    )
    blackwell = architecture_create(
        author=a, name="Blackwell", slug="blackwell", vendor=nvidia, introduced="2024-03", body=BODY
    )
    gb200 = product_create(
        author=a,
        name="GB200 NVL72",
        slug="gb200-nvl72",
        vendor=nvidia,
        architecture=blackwell,
        kind="system",
        status="shipping",
        body=BODY,
    )
    ships = milestone_create(
        author=a,
        title="GB200 NVL72 first shipments",
        product=gb200,
        kind="ship",
        target="2025-Q3",
        status="on_track",
        body=BODY,
    )
    keynote = source_create(
        author=a,
        title="GTC 2025 keynote",
        kind="keynote",
        publisher="Nvidia",
        authors=["Jensen Huang"],
        language="en",
        published_date=datetime.date(2025, 3, 18),
        body=BODY,
    )
    jensen = person_create(
        author=a,
        name="Jensen Huang",
        slug="jensen-huang",
        aliases=["黃仁勳"],
        affiliation=nvidia,
        role="CEO",
        body=BODY,
    )
    about = {"companies": [nvidia], "products": [gb200], "milestones": [ships]}
    shipping = claim_create(
        author=a,
        statement="GB200 NVL72 racks are shipping.",
        kind="fact",
        credibility=2,
        citations=[
            {"source": keynote, "speaker": jensen, "quote": "Blackwell is in full production.", "locator": "00:12:30"}
        ],
        body=BODY,
        **about,
    )
    revenue = claim_create(
        author=a,
        statement="Nvidia's data-center revenue was 115.2 bn USD in fiscal 2025.",
        kind="metric",
        metric="data-center revenue",
        value=Decimal("115.2"),
        unit="bn USD",
        period="2025",
        citations=[
            {
                "source": keynote,
                "speaker": jensen,
                "quote": "數據中心收入創新高",
                "translation": "data-center revenue hit a record",
                "locator": "p. 3",
            },
            {"source": keynote, "quote": "Revenue was 115.2 billion dollars.", "locator": "slide 7"},
        ],
        body=BODY,
        **about,
    )
    notes = person_create(
        author=a,
        name="Ada Notes",
        slug="ada-notes",
        body=(
            "See [[Nvidia]], [[Blackwell]], [[GB200 NVL72]], [[GB200 NVL72 first shipments]], "
            f"[[GTC 2025 keynote]], [[Jensen Huang]] and [[claim:{revenue.pk}]]."
        ),
    )
    return World(nvidia, blackwell, gb200, ships, keynote, jensen, shipping, revenue, notes)


EXPECTED_INFOBOX = {
    "company": {
        "Slug": "nvidia",
        "Aliases": "NVIDIA, 英偉達",
        "Kind": "Chip vendor",
        "Country": "US",
        "Website": "https://www.nvidia.com",
        "Founded": "1993",
        "Tracked": "yes",
    },
    "architecture": {"Slug": "blackwell", "Vendor": "Nvidia", "Introduced": "March 2024"},
    "product": {"Vendor": "Nvidia", "Architecture": "Blackwell", "Kind": "System / rack", "Status": "Shipping"},
    "milestone": {
        "Company": "Nvidia",
        "Product": "GB200 NVL72",
        "Kind": "First shipments",
        "Target": "Q3 2025",
        "Status": "On track",
    },
    "source": {
        "Kind": "Keynote",
        "Publisher": "Nvidia",
        "Authors": "Jensen Huang",
        "Language": "en",
        "Published date": "2025-03-18",
        "Reliability": "F: reliability cannot be judged",
    },
    "person": {"Aliases": "黃仁勳", "Is pseudonym": "no", "Affiliation": "Nvidia", "Role": "CEO"},
    "claim": {
        "Kind": "Metric",
        "Metric": "data-center revenue",
        "Value": "115.2",
        "Unit": "bn USD",
        "Period": "2025",
        "Status": "Unverified",
        "Credibility": "6: truth cannot be judged",
        "Companies": "Nvidia",
        "Products": "GB200 NVL72",
        "Milestones": "GB200 NVL72 first shipments",
    },
}
# Each reference's source title, speaker, quote, translation and locator, in footnote order.
REFERENCES = [
    ["GTC 2025 keynote", "Jensen Huang", "Blackwell is in full production.", "00:12:30"],
    ["GTC 2025 keynote", "Jensen Huang", "數據中心收入創新高", "data-center revenue hit a record", "p. 3"],
    ["GTC 2025 keynote", "Revenue was 115.2 billion dollars.", "slide 7"],
]
# The infobox links a page's company or product to that page.
INFOBOX_LINKS = {
    "architecture": ["/companies/nvidia/"],
    "product": ["/companies/nvidia/", "/architectures/blackwell/"],
    "milestone": ["/companies/nvidia/", "/products/gb200-nvl72/"],
    "person": ["/companies/nvidia/"],
    "claim": ["/companies/nvidia/", "/products/gb200-nvl72/"],
}


# ---------------------------------------------------------------------------
# 1. Reading a page


@pytest.mark.parametrize("kind_key", KIND_KEYS)
def test_every_kind_of_page_shows_infobox_body_claims_by_kind_and_numbered_references(client, world, kind_key):
    page = world.page(kind_key)
    response = client.get(page.get_absolute_url())
    assert response.status_code == 200
    doc = parse(response)

    box = infobox(doc)
    expected = EXPECTED_INFOBOX[kind_key]
    assert {label: box.get(label) for label in expected} == expected
    aside_links = [link.get("href") for link in doc.find("aside", cls="infobox").find_all("a")]
    for url in INFOBOX_LINKS.get(kind_key, []):
        assert url in aside_links

    body = doc.find("div", cls="body")
    assert body.find("strong").text == "bold words"
    assert [item.text for item in body.find_all("li")] == ["first point", "second point"]

    if kind_key == "claim":
        # The claim's own citations are footnotes of its statement.
        assert footnote_links(doc.find("h1")) == [("[1]", "#ref-1"), ("[2]", "#ref-2")]
        references = REFERENCES[1:]
    else:
        claims = doc.find("section", cls="claims-about")
        assert [heading.text for heading in claims.find_all("h3")] == ["Fact", "Metric"]
        shipping = claims.find("li", id=f"claim-{world.shipping.pk}")
        revenue = claims.find("li", id=f"claim-{world.revenue.pk}")
        assert world.shipping.statement in shipping.text
        assert footnote_links(shipping) == [("[1]", "#ref-1")]
        assert footnote_links(revenue) == [("[2]", "#ref-2"), ("[3]", "#ref-3")]
        assert "data-center revenue: 115.2 bn USD (2025)" in " ".join(revenue.text.split())
        references = REFERENCES

    items = [item for item in doc.find("ol", cls="footnotes").find_all("li") if item.get("id", "").startswith("ref-")]
    assert [item.get("id") for item in items] == [f"ref-{number}" for number in range(1, len(references) + 1)]
    for item, parts in zip(items, references, strict=True):
        for part in parts:
            assert part in item.text
    assert items[0].find("a").get("href") == world.keynote.get_absolute_url()


@pytest.mark.parametrize("kind_key", KIND_KEYS)
def test_what_links_here_lists_a_page_whose_body_links_to_this_one(client, world, kind_key):
    response = client.get(world.page(kind_key).get_absolute_url())
    links_here = parse(response).find("section", cls="links-here")
    assert [(link.text, link.get("href")) for link in links_here.find_all("a")] == [("Ada Notes", "/people/ada-notes/")]


def test_a_page_nobody_links_to_says_so(client, world):
    response = client.get(world.notes.get_absolute_url())
    assert "No page links here yet." in parse(response).find("section", cls="links-here").text


# ---------------------------------------------------------------------------
# 2. Missing and deleted pages


@pytest.mark.parametrize("kind_key", KIND_KEYS)
def test_an_unknown_slug_or_id_is_the_sites_404_page(client, analyst, kind_key):
    kind = PAGE_KINDS[kind_key]
    key = "no-such-page" if kind.lookup == "slug" else 987654
    analyst_client = logged_in(analyst)
    for who, url in [
        (client, kind.url("detail", key)),
        (client, kind.url("history", key)),
        (client, kind.url("diff", key)),
        (client, kind.url("feed", key)),
        (analyst_client, kind.url("edit", key)),
        (analyst_client, kind.url("delete", key)),
    ]:
        response = who.get(url)
        assert response.status_code == 404, url
        doc = parse(response)
        assert doc.find("h1").text == "Not found", url
        assert f"“{key}”" in doc.find("main").text, url


@pytest.mark.parametrize("kind_key", KIND_KEYS)
def test_a_deleted_page_is_a_404_that_says_so_and_offers_an_analyst_undelete(client, analyst, deps, kind_key):
    kind = PAGE_KINDS[kind_key]
    page = make_page(kind_key, author=analyst, deps=deps, name="Doomed page")
    key = kind.key_of(page)
    editing.page_delete(kind=kind, page=page, author=analyst, summary="Duplicate of another page")

    response = logged_in(analyst).get(kind.url("detail", key))
    assert response.status_code == 404
    notice = parse(response).find("div", cls="deleted")
    assert f"This {kind.label} was deleted" in notice.text
    assert "by ana" in notice.text and "Duplicate of another page" in notice.text
    undelete = notice.find("form")
    assert undelete.get("action") == kind.url("undelete", key) and undelete.get("method") == "post"

    anonymous = client.get(kind.url("detail", key))
    assert anonymous.status_code == 404
    assert f"This {kind.label} was deleted" in anonymous.text
    assert not parse(anonymous).find("div", cls="deleted").find_all("form")


# ---------------------------------------------------------------------------
# 3. Creating pages


@pytest.mark.parametrize("kind_key", KIND_KEYS)
def test_an_analyst_creates_each_kind_of_page_through_its_form(analyst_client, analyst, deps, kind_key):
    kind = PAGE_KINDS[kind_key]
    url = kind.create_url()
    prefilled = PREFILLED_BY_LINK.get(kind_key)
    # Pages link to "new" forms with their company filled in (e.g. "Add a product" on a company page).
    form_page = analyst_client.get(url + (f"?{prefilled}={deps.company.slug}" if prefilled else ""))
    assert form_page.status_code == 200
    form = form_data(form_page)
    assert "base_revision" in form and "summary" in form
    if prefilled:
        assert form[prefilled] == str(deps.company.pk)

    response = submit(analyst_client, url, {**form, **typed_values(kind_key, deps), "summary": "New page"})

    assert response.status_code == 302
    title = typed_values(kind_key, deps)[kind.title_field]
    page = kind.model.objects.get(**{kind.title_field: title})
    assert response.url == page.get_absolute_url()
    state = page_state(kind, page)
    expected = expected_state(kind_key, deps)
    assert {name: state[name] for name in expected} == expected
    assert editing.latest_revision_id(page) is not None
    change = Change.objects.get(content_type=content_type_of(kind), object_id=str(page.pk))
    assert change.action == ChangeAction.CREATE
    assert change.revision.user == analyst and change.revision.comment == "New page"

    shown = analyst_client.get(response.url)
    assert messages_of(shown) == [f"Created {kind.label} “{page}”."]
    assert parse(shown).find("div", cls="body").find("strong")


def test_an_empty_name_is_refused_next_to_the_field_and_keeps_what_was_typed(analyst_client, deps):
    url = PAGE_KINDS["company"].create_url()
    form = form_data(analyst_client.get(url))
    typed = {**typed_values("company", deps), "name": ""}
    response = submit(analyst_client, url, {**form, **typed})

    assert response.status_code == 400
    assert field_errors(response, "name") == ["This field is required."]
    assert "Some fields need attention" in parse(response).find("div", cls="form-errors").text
    kept = form_data(response)
    for name in ("slug", "country", "website", "founded", "tracked"):
        assert kept[name] == typed[name]
    assert lf(kept["body"]) == typed["body"] and lf(kept["aliases"]) == typed["aliases"]
    assert not Company.objects.filter(slug="cerebras").exists()


def test_a_fuzzy_date_that_is_not_one_is_refused_next_to_the_field_and_kept(analyst_client, deps):
    url = PAGE_KINDS["milestone"].create_url()
    form = form_data(analyst_client.get(url))
    typed = {**typed_values("milestone", deps), "company": str(deps.company.pk), "target": "Q5 2025"}
    response = submit(analyst_client, url, {**form, **typed})

    assert response.status_code == 400
    [error] = field_errors(response, "target")
    assert "'Q5 2025' is not a fuzzy date" in error and "2025-Q3" in error
    kept = form_data(response)
    assert kept["target"] == "Q5 2025"
    assert kept["title"] == "Rubin ships" and kept["company"] == str(deps.company.pk)
    assert not Milestone.objects.filter(title="Rubin ships").exists()


def test_a_slug_in_use_is_refused_next_to_the_field_and_keeps_what_was_typed(analyst_client, deps):
    url = PAGE_KINDS["company"].create_url()
    form = form_data(analyst_client.get(url))
    typed = {**typed_values("company", deps), "slug": deps.company.slug}
    response = submit(analyst_client, url, {**form, **typed})

    assert response.status_code == 400
    assert field_errors(response, "slug") == ["Company with this Slug already exists."]
    kept = form_data(response)
    assert kept["name"] == "Cerebras" and kept["slug"] == deps.company.slug and kept["country"] == "US"
    assert Company.objects.filter(slug=deps.company.slug).get() == deps.company


@pytest.mark.parametrize(
    ("kind_key", "typed", "field"),
    [
        # A metric needs a value: the database's check, but the analyst must see it at "value".
        ("claim", {"kind": "metric", "metric": "revenue", "unit": "bn USD", "value": ""}, "value"),
        # A milestone that is done happened at some date (the help text of "actual" says so).
        ("milestone", {"status": "done", "actual": ""}, "actual"),
        # A founding year before 1600 is a typo.
        ("company", {"founded": "1066"}, "founded"),
    ],
)
def test_a_value_the_database_would_refuse_is_reported_next_to_its_field(analyst_client, deps, kind_key, typed, field):
    kind = PAGE_KINDS[kind_key]
    url = kind.create_url()
    form = form_data(analyst_client.get(url))
    values = {**typed_values(kind_key, deps), "company": str(deps.company.pk), **typed}
    if kind_key != "milestone":
        del values["company"]
    response = submit(analyst_client, url, {**form, **values})

    assert response.status_code == 400
    kept = form_data(response)
    for name, value in values.items():
        assert lf(kept.get(name, "")) == value, name
    assert not kind.model.objects.filter(**{kind.title_field: values[kind.title_field]}).exists()
    # The analyst must see which field to fix: the message belongs next to it, not only at the top.
    assert field_errors(response, field), parse(response).find("div", cls="form-errors").text


# ---------------------------------------------------------------------------
# 4. Claims and their citations


def add_citation_row(data: dict, **fields) -> dict:
    """What the "Add another citation" button does: one more row in the formset."""
    index = int(data["citations-TOTAL_FORMS"])
    row = {f"citations-{index}-{name}": value for name, value in fields.items()}
    return {**data, **row, "citations-TOTAL_FORMS": str(index + 1)}


def test_a_claim_with_two_citations_one_to_a_new_source_leaves_that_source_pending(analyst_client, analyst, deps):
    url = PAGE_KINDS["claim"].create_url()
    form = form_data(analyst_client.get(url))
    data = add_citation_row(
        {**form, **typed_values("claim", deps)},
        new_source_title="TSMC supply-chain note",
        new_source_url="https://example.com/tsmc-note",
        new_source_publisher="DigiTimes",
        quote="CoWoS capacity doubles in 2026.",
        translation="",
        locator="para. 4",
    )
    response = submit(analyst_client, url, data)

    assert response.status_code == 302
    claim = Claim.objects.get()
    new_source = Source.objects.get(title="TSMC supply-chain note")
    assert new_source.moderation_state == ModerationState.PENDING
    assert new_source.url == "https://example.com/tsmc-note" and new_source.publisher == "DigiTimes"
    assert [(c.source, c.quote) for c in claim.citations.order_by("pk")] == [
        (deps.source, "Rubin is on track for Q3."),
        (new_source, "CoWoS capacity doubles in 2026."),
    ]
    assert Change.objects.filter(content_type=content_type_of(PAGE_KINDS["source"]), object_id=str(new_source.pk))
    page = parse(analyst_client.get(claim.get_absolute_url()))
    second = page.find("li", id="ref-2")
    assert "TSMC supply-chain note" in second.text and "Pending" in second.find("span", cls="moderation-pending").text


def test_a_claim_without_citations_is_refused_with_a_clear_message(analyst_client, deps):
    url = PAGE_KINDS["claim"].create_url()
    form = form_data(analyst_client.get(url))
    typed = {name: value for name, value in typed_values("claim", deps).items() if not name.startswith("citations-")}
    response = submit(analyst_client, url, {**form, **typed})

    assert response.status_code == 400
    editor = parse(response).find("section", cls="citations-editor")
    assert "A claim needs at least one citation to a source." in editor.find("ul", cls="errorlist").text
    assert lf(form_data(response)["statement"]) == typed["statement"]
    assert not Claim.objects.exists()


def test_a_citation_row_with_a_quote_but_no_source_is_refused_next_to_the_source(analyst_client, deps):
    url = PAGE_KINDS["claim"].create_url()
    form = form_data(analyst_client.get(url))
    data = {**form, **typed_values("claim", deps), "citations-0-source": ""}
    response = submit(analyst_client, url, data)

    assert response.status_code == 400
    assert field_errors(response, "citations-0-source") == ["Pick a source, or give the title of a new one below."]
    assert form_data(response)["citations-0-quote"] == "Rubin is on track for Q3."
    assert not Claim.objects.exists()


def test_two_new_sources_with_the_same_url_in_one_claim_are_refused_and_nothing_is_saved(analyst_client, deps):
    url = PAGE_KINDS["claim"].create_url()
    form = form_data(analyst_client.get(url))
    new_source = {"new_source_url": "https://example.com/same", "new_source_publisher": "Wire"}
    data = {**form, **typed_values("claim", deps)}
    data = add_citation_row(data, new_source_title="Wire story", quote="First quote.", **new_source)
    data = add_citation_row(data, new_source_title="Same wire story", quote="Second quote.", **new_source)
    sources, revisions = Source.objects.count(), Revision.objects.count()

    response = submit(analyst_client, url, data)

    assert response.status_code == 400
    assert (Source.objects.count(), Revision.objects.count(), Claim.objects.count()) == (sources, revisions, 0)
    assert form_data(response)["citations-1-new_source_url"] == "https://example.com/same"
    # The analyst is told what is wrong in words, not by the name of a database constraint.
    message = parse(response).find("div", cls="form-errors").text
    assert "Constraint “" not in message and "URL" in message, message


def test_removing_every_citation_of_a_claim_is_refused(analyst, world):
    client = logged_in(analyst)
    url = PAGE_KINDS["claim"].url("edit", world.revenue.pk)
    form = form_data(client.get(url))
    response = submit(client, url, {**form, "citations-0-DELETE": "on", "citations-1-DELETE": "on"})

    assert response.status_code == 400
    editor = parse(response).find("section", cls="citations-editor")
    assert "A claim needs at least one citation to a source." in editor.find("ul", cls="errorlist").text
    assert world.revenue.citations.count() == 2


# ---------------------------------------------------------------------------
# 5. Editing, merging and conflicts


@pytest.mark.parametrize("kind_key", KIND_KEYS)
def test_each_kind_is_edited_through_its_form_from_the_latest_revision(analyst, deps, kind_key):
    kind = PAGE_KINDS[kind_key]
    page = make_page(kind_key, author=analyst, deps=deps)
    client = logged_in(analyst)
    url = kind.url("edit", kind.key_of(page))
    form = form_data(client.get(url))
    assert form["base_revision"] == str(editing.latest_revision_id(page))

    response = submit(client, url, {**form, "body": "A **rewritten** body.", "summary": "Rewrite"}, follow=True)

    assert response.redirect_chain == [(page.get_absolute_url(), 302)]
    assert messages_of(response) == [f"Saved {kind.label} “{reload(page)}”."]
    assert reload(page).body == "A **rewritten** body."
    assert parse(response).find("div", cls="body").find("strong").text == "rewritten"
    change = Change.objects.filter(content_type=content_type_of(kind), object_id=str(page.pk)).first()
    assert change.action == ChangeAction.EDIT and change.revision.comment == "Rewrite"


@pytest.mark.parametrize("kind_key", KIND_KEYS)
def test_an_edit_form_saved_unchanged_records_no_revision(analyst, deps, kind_key):
    kind = PAGE_KINDS[kind_key]
    page = make_page(kind_key, author=analyst, deps=deps)
    before = editing.latest_revision_id(page)
    client = logged_in(analyst)
    url = kind.url("edit", kind.key_of(page))

    response = submit(client, url, form_data(client.get(url)), follow=True)

    assert messages_of(response) == ["Nothing changed, so no revision was saved."]
    assert editing.latest_revision_id(page) == before


def test_a_multi_paragraph_body_saved_unchanged_from_a_browser_records_no_revision(analyst, deps):
    """Browsers send textarea line ends as CRLF; the stored body has LF. Saving without a change
    must not record a revision (nor store CRLF that makes every later diff show every line)."""
    page = make_page("company", author=analyst, deps=deps, body="First paragraph.\n\nSecond paragraph.")
    before = editing.latest_revision_id(page)
    client = logged_in(analyst)
    url = PAGE_KINDS["company"].url("edit", page.slug)

    response = submit(client, url, form_data(client.get(url)), follow=True)

    assert reload(page).body == "First paragraph.\n\nSecond paragraph."
    assert messages_of(response) == ["Nothing changed, so no revision was saved."]
    assert editing.latest_revision_id(page) == before


NVIDIA_BODY = "Nvidia designs GPUs.\n\nIts data-center business grew fastest.\n\nIt buys HBM from SK Hynix."


@pytest.fixture
def nvidia(other_analyst):
    return company_create(author=other_analyst, name="Nvidia", slug="nvidia", country="US", body=NVIDIA_BODY)


def test_a_stale_edit_of_another_field_is_merged_and_marked_in_the_history(analyst, other_analyst, nvidia):
    url = PAGE_KINDS["company"].url("edit", "nvidia")
    ana, bob = logged_in(analyst), logged_in(other_analyst)
    ana_form, bob_form = form_data(ana.get(url)), form_data(bob.get(url))
    assert ana_form["base_revision"] == bob_form["base_revision"]

    assert submit(bob, url, {**bob_form, "country": "TW", "summary": "Fix country"}).status_code == 302
    new_body = NVIDIA_BODY.replace("SK Hynix.", "SK Hynix and Micron.")
    response = submit(ana, url, {**ana_form, "body": new_body, "summary": "Add Micron"}, follow=True)

    assert response.redirect_chain == [("/companies/nvidia/", 302)]
    [message] = messages_of(response)
    assert "merged" in message
    nvidia = reload(nvidia)
    assert nvidia.country == "TW" and lf(nvidia.body) == new_body
    history = history_rows(ana.get(PAGE_KINDS["company"].url("history", "nvidia")))
    assert [row["who"] for row in history] == ["ana", "bob", "bob"]
    assert [row["merged"] for row in history] == [True, False, False]
    assert "Add Micron (merged with revision" in history[0]["summary"]


def test_an_overlapping_edit_is_refused_with_both_texts_and_can_be_saved_again(analyst, other_analyst, nvidia):
    url = PAGE_KINDS["company"].url("edit", "nvidia")
    ana, bob = logged_in(analyst), logged_in(other_analyst)
    ana_form, bob_form = form_data(ana.get(url)), form_data(bob.get(url))
    bobs_body = NVIDIA_BODY.replace("grew fastest", "grew fastest in 2024")
    assert submit(bob, url, {**bob_form, "body": bobs_body, "summary": "Year"}).status_code == 302
    current_revision = editing.latest_revision_id(nvidia)

    anas_body = NVIDIA_BODY.replace("grew fastest", "is most of its revenue")
    response = submit(ana, url, {**ana_form, "body": anas_body, "summary": "Revenue mix"})

    assert response.status_code == 409
    doc = parse(response)
    conflict = doc.find("section", cls="conflict")
    assert "bob saved this page" in " ".join(conflict.text.split())
    assert "grew fastest in 2024" in conflict.find("div", cls="conflict-current").text
    assert "is most of its revenue" in conflict.find("div", cls="conflict-mine").text
    diff = conflict.find("div", cls="diff")
    assert diff.find_all("del") and diff.find_all("ins")
    again = form_data(response)
    assert lf(again["body"]) == anas_body, "the analyst's own text stays in the form"
    assert again["summary"] == "Revenue mix"
    assert again["base_revision"] == str(current_revision)
    assert lf(reload(nvidia).body) == bobs_body, "nothing of the refused edit was saved"

    resubmitted = submit(ana, url, again, follow=True)

    assert resubmitted.redirect_chain == [("/companies/nvidia/", 302)]
    assert lf(reload(nvidia).body) == anas_body
    assert messages_of(resubmitted) == ["Saved company “Nvidia”."]


def test_saving_again_after_a_conflict_keeps_the_other_edits_changes_that_did_not_clash(analyst, other_analyst, world):
    # Regression (issue 3 review): the conflict form used to hold only the analyst's own POST,
    # so saving it again silently undid the other editor's other changes.
    claim = world.revenue
    url = PAGE_KINDS["claim"].url("edit", claim.pk)
    ana, bob = logged_in(analyst), logged_in(other_analyst)
    ana_form, bob_form = form_data(ana.get(url)), form_data(bob.get(url))
    bob_data = add_citation_row(
        {**bob_form, "statement": "Bob's statement.", "status": "corroborated"},
        source=str(world.keynote.pk),
        quote="Bob's added quote.",
    )
    assert submit(bob, url, bob_data).status_code == 302

    conflict = submit(ana, url, {**ana_form, "statement": "Ana's statement."})
    assert conflict.status_code == 409
    again = form_data(conflict)
    assert again["statement"] == "Ana's statement."
    assert again["status"] == "corroborated", "Bob's status change is in the form"
    resaved = submit(ana, url, again)

    assert resaved.status_code == 302
    claim = reload(claim)
    assert (claim.statement, claim.status) == ("Ana's statement.", "corroborated")
    assert "Bob's added quote." in list(claim.citations.values_list("quote", flat=True))


def test_a_form_opened_before_a_citation_was_removed_still_saves(analyst, other_analyst, world):
    # Regression (issue 3 review): the removed citation's id made the older form unsavable.
    claim = world.revenue
    url = PAGE_KINDS["claim"].url("edit", claim.pk)
    ana, bob = logged_in(analyst), logged_in(other_analyst)
    ana_form, bob_form = form_data(ana.get(url)), form_data(bob.get(url))
    assert submit(bob, url, {**bob_form, "citations-0-DELETE": "on"}).status_code == 302
    remaining = set(claim.citations.values_list("pk", flat=True))

    response = submit(ana, url, {**ana_form, "statement": "Reworded by ana."}, follow=True)

    assert response.redirect_chain == [(claim.get_absolute_url(), 302)]
    claim = reload(claim)
    assert claim.statement == "Reworded by ana."
    assert set(claim.citations.values_list("pk", flat=True)) == remaining, "bob's removal stands"


@pytest.mark.parametrize(
    "field, value",
    [("base_revision", "9" * 25), ("companies", "9" * 25), ("companies", "²"), ("citations-0-source", "9" * 25)],
)
def test_impossible_ids_in_a_form_are_refused_not_crashed(analyst, world, field, value):
    client = logged_in(analyst)
    url = PAGE_KINDS["claim"].url("edit", world.revenue.pk)
    response = submit(client, url, {**form_data(client.get(url)), field: value})
    assert response.status_code == 400


def test_reverting_to_a_huge_revision_number_is_a_404(analyst, world):
    client = logged_in(analyst)
    url = PAGE_KINDS["claim"].url("revert", world.revenue.pk, revision_id=int("9" * 25))
    assert client.post(url).status_code == 404


def test_a_claims_citations_are_edited_through_the_formset(analyst, world):
    client = logged_in(analyst)
    url = PAGE_KINDS["claim"].url("edit", world.revenue.pk)
    form = form_data(client.get(url))
    assert form["citations-TOTAL_FORMS"] == "3" and form["citations-INITIAL_FORMS"] == "2"
    data = {**form, "citations-1-quote": "Revenue was 115.2 billion US dollars.", "citations-0-DELETE": "on"}

    response = submit(client, url, data)

    assert response.status_code == 302
    assert list(world.revenue.citations.values_list("quote", flat=True)) == ["Revenue was 115.2 billion US dollars."]


# ---------------------------------------------------------------------------
# 6. History, diffs, old revisions, revert, delete and undelete


@pytest.fixture
def edited_company(analyst, other_analyst):
    """A company with three revisions: created by ana, edited by bob, then shortened by ana."""
    company = company_create(
        author=analyst, summary="First version", name="Groq", slug="groq", country="US", body="Groq designs LPUs."
    )
    service_edit(company, other_analyst, summary="Say what for", country="CA", body="Groq designs LPUs for inference.")
    service_edit(company, analyst, summary="Shorter", body="Groq designs chips.")
    return company


def test_history_lists_revisions_newest_first_with_author_summary_and_size_change(client, edited_company):
    revisions = list(Change.objects.filter(object_id=str(edited_company.pk)).values_list("revision_id", flat=True))
    response = client.get(PAGE_KINDS["company"].url("history", "groq"))

    rows = history_rows(response)
    assert [row["revision"] for row in rows] == [str(revision) for revision in revisions]
    assert [row["who"] for row in rows] == ["ana", "bob", "ana"]
    assert [row["summary"] for row in rows] == ["Edited Shorter", "Edited Say what for", "Created First version"]
    # Size counts every field's text: name, slug, kind ("other"), country and body.
    assert [row["size"] for row in rows] == ["34 (−13)", "47 (+14)", "33 (+33)"]


def diff_sides(diff: Element) -> tuple[str, str, list[str]]:
    """The old and the new text a word diff was made of, and the pieces it marks as changed."""
    old, new, changed = [], [], []
    for child in diff.children:
        if isinstance(child, str):
            old.append(child)
            new.append(child)
        else:
            (old if child.tag == "del" else new).append(child.text)
            changed.append(child.text)
    return "".join(old), "".join(new), changed


def test_a_diff_shows_the_changed_fields_and_the_body_word_by_word(client, edited_company):
    first, second, _ = sorted(
        Change.objects.filter(object_id=str(edited_company.pk)).values_list("revision_id", flat=True)
    )
    response = client.get(PAGE_KINDS["company"].url("diff", "groq") + f"?from={first}&to={second}")

    assert response.status_code == 200
    table = parse(response).find("table", cls="diff-table")
    rows = {row.find("th").text: row for row in table.find("tbody").find_all("tr")}
    assert set(rows) == {"Country", "Body"}, "only the fields that changed"
    assert [cell.text for cell in rows["Country"].find_all("td")] == ["US", "CA"]
    body = rows["Body"].find("div", cls="diff")
    old, new, changed = diff_sides(body)
    assert (old, new) == ("Groq designs LPUs.", "Groq designs LPUs for inference.")
    assert body.find_all("ins") and "for inference" in " ".join(changed)
    assert not any("Groq" in piece or "designs" in piece for piece in changed), "word by word, not the whole text"

    words = client.get(PAGE_KINDS["company"].url("diff", "groq") + f"?from={second}")
    body = parse(words).find("table", cls="diff-table").find("div", cls="diff")
    old, new, changed = diff_sides(body)
    assert (old, new) == ("Groq designs LPUs for inference.", "Groq designs chips.")
    assert [item.text.strip() for item in body.find_all("ins")] == ["chips"]
    assert "LPUs" in body.find("del").text
    assert not any("Groq" in piece or "designs" in piece for piece in changed)


def test_an_old_revision_shows_the_page_as_it_was(client, edited_company):
    first = Change.objects.filter(object_id=str(edited_company.pk)).last().revision_id
    response = client.get(PAGE_KINDS["company"].url("revision", "groq", revision_id=first))

    assert response.status_code == 200
    doc = parse(response)
    fields = {row.find("th").text: row.find("td").text for row in doc.find("table", cls="infobox").find_all("tr")}
    assert fields["Country"] == "US"
    assert doc.find("div", cls="body").text.strip() == "Groq designs LPUs."


@pytest.mark.parametrize("bad", ["?from=abc", "?to=999999", "?from=1&to=999999"])
def test_a_diff_with_a_revision_of_no_such_page_is_a_404(client, edited_company, bad):
    assert client.get(PAGE_KINDS["company"].url("diff", "groq") + bad).status_code == 404


def test_revert_asks_first_then_restores_the_old_values_as_a_new_revision(analyst, edited_company):
    client = logged_in(analyst)
    first = Change.objects.filter(object_id=str(edited_company.pk)).last().revision_id
    url = PAGE_KINDS["company"].url("revert", "groq", revision_id=first)
    latest = editing.latest_revision_id(edited_company)

    confirm = client.get(url)
    assert confirm.status_code == 200
    assert reload(edited_company).country == "CA", "a GET changes nothing"
    response = client.post(url, form_data(confirm), follow=True)

    assert response.redirect_chain == [("/companies/groq/", 302)]
    assert messages_of(response) == [f"Reverted to revision {first}."]
    groq = reload(edited_company)
    assert (groq.country, groq.body) == ("US", "Groq designs LPUs.")
    assert editing.latest_revision_id(groq) > latest
    change = Change.objects.filter(object_id=str(groq.pk)).first()
    assert change.action == ChangeAction.REVERT and change.revision.comment == f"Reverted to revision {first}"


def test_reverting_a_claim_brings_back_its_old_citations(analyst, world):
    first = editing.latest_revision_id(world.revenue)
    client = logged_in(analyst)
    edit_url = PAGE_KINDS["claim"].url("edit", world.revenue.pk)
    form = form_data(client.get(edit_url))
    response = submit(client, edit_url, {**form, "citations-0-quote": "A misquote.", "citations-1-DELETE": "on"})
    assert response.status_code == 302
    assert list(world.revenue.citations.values_list("quote", flat=True)) == ["A misquote."]

    revert = PAGE_KINDS["claim"].url("revert", world.revenue.pk, revision_id=first)
    assert client.post(revert, {"summary": "Undo misquote"}).status_code == 302

    assert list(world.revenue.citations.order_by("pk").values_list("quote", flat=True)) == [
        "數據中心收入創新高",
        "Revenue was 115.2 billion dollars.",
    ]


@pytest.mark.parametrize("kind_key", KIND_KEYS)
def test_delete_asks_first_and_undelete_brings_the_page_back_under_its_key(analyst, deps, kind_key):
    kind = PAGE_KINDS[kind_key]
    page = make_page(kind_key, author=analyst, deps=deps, name="Short lived")
    key, state = kind.key_of(page), page_state(kind, page)
    client = logged_in(analyst)

    confirm = client.get(kind.url("delete", key))
    assert confirm.status_code == 200 and exists(kind, key)
    deleted = client.post(kind.url("delete", key), form_data(confirm) | {"summary": "Test page"}, follow=True)
    assert deleted.redirect_chain == [("/changes/", 302)]
    assert not exists(kind, key)
    assert change_rows(deleted)[0]["what"].startswith("Deleted")
    history = client.get(kind.url("history", key))
    assert history.status_code == 200 and "was deleted" in history.text

    undeleted = client.post(kind.url("undelete", key), follow=True)

    assert undeleted.redirect_chain == [(kind.url("detail", key), 302)]
    assert messages_of(undeleted) == [f"Undeleted {kind.label} “{page}”."]
    assert page_state(kind, kind.model.objects.get(pk=page.pk)) == state
    assert [row["summary"].split()[0] for row in history_rows(client.get(kind.url("history", key)))] == [
        "Undeleted",
        "Deleted",
        "Created",
    ]


def test_a_page_others_refer_to_cannot_be_deleted_and_says_why(analyst, world):
    client = logged_in(analyst)
    url = PAGE_KINDS["company"].url("delete", "nvidia")
    confirm = parse(client.get(url))
    assert "cannot be deleted while other pages refer to it" in confirm.find("div", cls="error").text
    assert not confirm.find("article").find_all("form")

    response = client.post(url, {"summary": "try anyway"}, follow=True)

    assert response.redirect_chain == [("/companies/nvidia/", 302)]
    assert "cannot be deleted" in messages_of(response)[0]
    assert Company.objects.filter(slug="nvidia").exists()


BIG = "9" * 30  # a number no id column holds


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/companies/groq/diff/?from=²", 404),  # "²".isdigit() is True, but int("²") fails
        ("/companies/groq/diff/?to=" + BIG, 404),
        (f"/companies/groq/revisions/{BIG}/", 404),
        (f"/companies/groq/revert/{BIG}/", 404),
        (f"/claims/{BIG}/", 404),
        (f"/claims/{BIG}/history/", 404),
        ("/changes/?before=²", 200),
        ("/changes/?before=" + BIG, 200),
        ("/users/ana/?before=²", 200),
        ("/search/?q=²", 200),
        ("/search/?q=" + BIG, 200),
        ("/lookup/claim/?q=²", 200),
        ("/lookup/claim/?q=" + BIG, 200),
        ("/claims/new/?milestones=abc", 200),  # a prefill that names no page is ignored
        ("/claims/new/?companies=" + BIG, 200),
        ("/products/new/?vendor=²", 200),
        ("/milestones/new/?product=" + BIG, 200),
    ],
)
def test_odd_numbers_in_urls_are_answered_not_crashed(analyst_client, edited_company, url, status):
    assert analyst_client.get(url).status_code == status


def test_links_in_recent_changes_and_history_still_work_after_a_page_is_renamed(analyst, edited_company):
    client = logged_in(analyst)
    url = PAGE_KINDS["company"].url("edit", "groq")
    response = submit(client, url, {**form_data(client.get(url)), "slug": "groq-inc", "summary": "Rename"})
    assert response.url == "/companies/groq-inc/"

    links = set()
    for listing in ("/changes/", "/users/ana/", "/companies/groq-inc/history/"):
        table = parse(client.get(listing)).find("table")
        links |= {link.get("href") for link in table.find_all("a") if not link.get("href").startswith("/users/")}
    links |= {
        urlsplit(entry["link"]).path + "?" + urlsplit(entry["link"]).query
        for entry in atom_entries(client.get("/changes/feed/"))
    }
    broken = sorted(link for link in links if client.get(link).status_code != 200)
    assert broken == [], "links of older changes still name the old slug"


def test_only_moderators_rate_sources_whatever_the_form_posts(analyst, deps):
    moderator = UserFactory(username="mo", role=Role.MODERATOR)
    url = PAGE_KINDS["source"].url("edit", deps.source.pk)
    client = logged_in(analyst)
    form = form_data(client.get(url))
    assert "reliability" not in form, "the field is disabled for analysts"
    submit(client, url, {**form, "reliability": "A", "body": "Rated by ana?"})
    assert (reload(deps.source).reliability, reload(deps.source).body) == ("F", "Rated by ana?")

    client = logged_in(moderator)
    form = form_data(client.get(url))
    assert submit(client, url, {**form, "reliability": "B"}).status_code == 302
    assert reload(deps.source).reliability == "B"


# ---------------------------------------------------------------------------
# 7. Preview


def test_preview_of_a_new_page_renders_the_markdown_and_saves_nothing(analyst_client, deps):
    url = PAGE_KINDS["company"].create_url()
    form = form_data(analyst_client.get(url))
    revisions = Revision.objects.count()
    response = submit(analyst_client, url, {**form, **typed_values("company", deps)}, press="preview")

    assert response.status_code == 200
    preview = parse(response).find("section", cls="preview")
    assert preview.find("strong").text == "chips"
    assert form_data(response)["name"] == "Cerebras"
    assert not Company.objects.filter(slug="cerebras").exists()
    assert Revision.objects.count() == revisions


def test_preview_of_an_edit_renders_the_markdown_and_saves_nothing(analyst, world):
    client = logged_in(analyst)
    url = PAGE_KINDS["claim"].url("edit", world.revenue.pk)
    form = form_data(client.get(url))
    before = page_state(PAGE_KINDS["claim"], world.revenue)
    response = submit(
        client, url, {**form, "statement": "A *new* statement.", "body": "See [[Nvidia]]."}, press="preview"
    )

    assert response.status_code == 200
    preview = parse(response).find("section", cls="preview")
    assert preview.find("em").text == "new"
    assert preview.find("a", cls="wikilink").get("href") == "/companies/nvidia/"
    assert page_state(PAGE_KINDS["claim"], reload(world.revenue)) == before


# ---------------------------------------------------------------------------
# 8. Markdown safety on the real pages


XSS_BODY = (
    "<script>window.__pwned=1</script>\n\n"
    "<img src=x onerror=alert(1)>\n\n"
    "[x](javascript:alert(1)) [y](JaVaScRiPt:alert(2)) [z](jav&#x61;script:alert(3))\n\n"
    '<a href="javascript:alert(4)">raw link</a> ![pic](javascript:alert(5))\n\n'
    "[[Nvidia|<b onmouseover=alert(6)>]] [[<svg onload=alert(7)>]]"
)


def assert_no_active_content(response):
    """No script but the site's own, no event handler attribute, no javascript: URL."""
    doc = parse(response)
    for script in doc.find_all("script"):
        assert script.get("src", "").startswith("/static/") and not script.text.strip(), script
    for element in doc.descendants():
        for name, value in element.attrs.items():
            assert not name.startswith("on"), (element, name)
            if name in ("href", "src", "action", "formaction", "xlink:href"):
                url = re.sub(r"[\x00-\x20]", "", value or "").lower()
                assert not url.startswith(("javascript:", "vbscript:", "data:text")), (element, value)
    assert "<script>window" not in response.text
    assert not doc.find_all("img") and not doc.find_all("svg") and not doc.find_all("b")


@pytest.mark.parametrize("kind_key", KIND_KEYS)
def test_hostile_markdown_is_inert_on_every_kind_of_page(client, analyst, deps, kind_key):
    company_create(author=analyst, name="Nvidia", slug="nvidia")
    kind = PAGE_KINDS[kind_key]
    page = make_page(kind_key, author=analyst, deps=deps, body=XSS_BODY)
    response = client.get(page.get_absolute_url())

    assert response.status_code == 200
    assert_no_active_content(response)
    assert "&lt;script&gt;window.__pwned=1&lt;/script&gt;" in response.text, "shown as text, not dropped silently"
    revision = client.get(kind.url("revision", kind.key_of(page), revision_id=editing.latest_revision_id(page)))
    assert_no_active_content(revision)


def test_hostile_markdown_is_inert_in_preview_diff_and_edit_summaries(analyst, deps):
    client = logged_in(analyst)
    page = make_page("company", author=analyst, deps=deps)
    url = PAGE_KINDS["company"].url("edit", page.slug)
    form = form_data(client.get(url))

    preview = submit(client, url, {**form, "body": XSS_BODY}, press="preview")
    assert_no_active_content(preview)
    hostile_summary = '<script>window.__pwned=1</script>"><img src=x onerror=alert(1)>'
    assert submit(client, url, {**form, "body": XSS_BODY, "summary": hostile_summary}).status_code == 302
    history = parse(client.get(PAGE_KINDS["company"].url("history", page.slug)))
    assert hostile_summary in history.find("table", cls="history").text, "the summary is shown, as text"
    for path in (
        PAGE_KINDS["company"].url("diff", page.slug),
        PAGE_KINDS["company"].url("history", page.slug),
        "/changes/",
        "/users/ana/",
        "/watchlist/",
    ):
        response = client.get(path)
        assert response.status_code == 200, path
        assert_no_active_content(response)


def test_a_hostile_claim_statement_and_quote_are_shown_as_text(client, analyst, deps):
    statement = "<script>window.__pwned=1</script> and <img src=x onerror=alert(1)>"
    claim = claim_create(
        author=analyst,
        statement=statement,
        citations=[{"source": deps.source, "quote": '"><img src=x onerror=alert(2)>', "locator": "<b>here</b>"}],
        companies=[deps.company],
    )
    for url in (claim.get_absolute_url(), deps.company.get_absolute_url(), deps.source.get_absolute_url(), "/"):
        response = client.get(url)
        assert_no_active_content(response)
        assert statement in parse(response).text


@pytest.mark.parametrize(
    "url",
    [
        '/new/?title="><script>window.__pwned=1</script>',
        '/companies/new/?title="><script>window.__pwned=1</script>',
        "/claims/new/?title=</textarea><script>window.__pwned=1</script>",
        "/companies/groq/diff/?from=<script>window.__pwned=1</script>",
        '/search/?q="><img src=x onerror=alert(1)>',
    ],
)
def test_hostile_query_strings_are_echoed_as_text(analyst_client, edited_company, url):
    response = analyst_client.get(url)
    assert response.status_code in (200, 404)
    assert_no_active_content(response)


# ---------------------------------------------------------------------------
# 9. Links to pages that do not exist yet


def test_a_link_to_a_missing_page_leads_to_a_prefilled_form_of_any_kind(analyst, deps):
    client = logged_in(analyst)
    page = make_page("company", author=analyst, deps=deps, body="Compare [[Missing Page]].")
    link = parse(client.get(page.get_absolute_url())).find("div", cls="body").find("a")
    assert link.has_class("wikilink") and link.has_class("new")
    assert link.get("href") == "/new/?title=Missing+Page"

    chooser = client.get(link.get("href"))
    assert chooser.status_code == 200
    choices = parse(chooser).find("ul", cls="kind-choices").find_all("a")
    assert len(choices) == len(PAGE_KINDS)
    for kind, choice in zip(PAGE_KINDS.values(), choices, strict=True):
        href = urlsplit(choice.get("href"))
        assert href.path == kind.create_url()
        assert parse_qs(href.query) == {"title": ["Missing Page"]}
        form = form_data(client.get(choice.get("href")))
        assert lf(form[kind.title_field]) == "Missing Page", kind.key


def test_the_new_page_chooser_tells_a_visitor_to_log_in(client):
    response = client.get("/new/?title=Missing+Page")
    assert response.status_code == 200
    assert "Creating pages needs the analyst role" in response.text
    assert "No page is called “Missing Page” yet." in response.text


# ---------------------------------------------------------------------------
# 10. Permissions, checked on the server


@dataclass
class WriteTarget:
    """A page of one kind with two revisions, a deleted page of the same kind, and forms filled in for both."""

    kind: object
    page: object
    deleted_key: str
    first_revision: int
    create_data: dict
    edit_data: dict

    def requests(self) -> list[tuple[str, str, dict]]:
        kind, key = self.kind, self.kind.key_of(self.page)
        revert = kind.url("revert", key, revision_id=self.first_revision)
        return [
            ("get", kind.create_url(), {}),
            ("post", kind.create_url(), self.create_data),
            ("get", kind.url("edit", key), {}),
            ("post", kind.url("edit", key), self.edit_data),
            ("get", revert, {}),
            ("post", revert, {"summary": "Back"}),
            ("post", kind.url("watch", key), {"action": "watch"}),
            ("get", kind.url("delete", key), {}),
            ("post", kind.url("delete", key), {"summary": "Gone"}),
            ("post", kind.url("undelete", self.deleted_key), {}),
        ]

    def snapshot(self) -> dict:
        kind = self.kind
        live = kind.model.objects.filter(pk=self.page.pk).first()
        return {
            "revisions": Revision.objects.count(),
            "changes": Change.objects.count(),
            "watches": Watch.objects.count(),
            "pages": kind.model.objects.count(),
            "page": page_state(kind, live) if live else None,
            "deleted page back": exists(kind, self.deleted_key),
        }


def write_target(kind_key: str, deps: Deps) -> WriteTarget:
    editor = UserFactory(username="editor", role=Role.ANALYST)
    kind = PAGE_KINDS[kind_key]
    page = make_page(kind_key, author=editor, deps=deps, name="Target page")
    first_revision = editing.latest_revision_id(page)
    service_edit(page, editor, body="Second version.")
    gone = make_page(kind_key, author=editor, deps=deps, name="Gone page")
    deleted_key = kind.key_of(gone)
    editing.page_delete(kind=kind, page=gone, author=editor)
    client = logged_in(editor)
    create_data = form_data(client.get(kind.create_url()))
    typed = typed_values(kind_key, deps)
    if field := PREFILLED_BY_LINK.get(kind_key):
        typed[field] = str(deps.company.pk)
    edit_data = form_data(client.get(kind.url("edit", kind.key_of(page))))
    Watch.objects.filter(user=editor).delete()
    return WriteTarget(
        kind=kind,
        page=page,
        deleted_key=deleted_key,
        first_revision=first_revision,
        create_data={**create_data, **typed, "save": ""},
        edit_data={**edit_data, "body": "Vandalised.", "save": ""},
    )


@pytest.mark.parametrize("kind_key", KIND_KEYS)
def test_a_visitor_is_sent_to_log_in_by_every_write_url_and_nothing_changes(client, deps, kind_key):
    target = write_target(kind_key, deps)
    before = target.snapshot()
    for method, url, data in target.requests():
        response = getattr(client, method)(url, data)
        assert is_login_redirect(response, url), (method, url, response.status_code)
    assert target.snapshot() == before


@pytest.mark.parametrize("kind_key", KIND_KEYS)
def test_a_reader_is_refused_every_edit_url_and_nothing_changes(reader, deps, kind_key):
    target = write_target(kind_key, deps)
    client = logged_in(reader)
    before = target.snapshot()
    for method, url, data in target.requests():
        if url.endswith("/watch/"):
            continue  # watching is not editing: see the next test
        response = getattr(client, method)(url, data)
        assert response.status_code == 403, (method, url)
        assert parse(response).find("h1").text == "Not allowed"
    assert target.snapshot() == before


def test_a_reader_may_watch_pages_because_watching_is_not_editing(reader, world):
    client = logged_in(reader)
    response = client.post(PAGE_KINDS["company"].url("watch", "nvidia"), {"action": "watch"})
    assert response.status_code == 302
    assert "Nvidia" in parse(client.get("/watchlist/")).find("ul", cls="watched").text
    tabs = parse(client.get("/companies/nvidia/")).find("nav", cls="page-tabs")
    assert "Edit" not in [link.text for link in tabs.find_all("a")]
    assert tabs.find("button").text == "Unwatch"


@pytest.mark.parametrize("kind_key", KIND_KEYS)
def test_an_analyst_may_use_every_write_url(analyst, deps, kind_key):
    target = write_target(kind_key, deps)
    client = logged_in(analyst)
    for method, url, data in target.requests():
        response = getattr(client, method)(url, data)
        assert response.status_code == (200 if method == "get" else 302), (method, url)
    kind, key = target.kind, target.kind.key_of(target.page)
    typed = typed_values(kind_key, deps)
    assert kind.model.objects.filter(**{kind.title_field: typed[kind.title_field]}).exists()
    assert not exists(kind, key), "deleted last"
    assert exists(kind, target.deleted_key), "undeleted"
    actions = Change.objects.filter(content_type=content_type_of(kind), object_id=str(target.page.pk))
    assert [change.action for change in actions][:3] == [ChangeAction.DELETE, ChangeAction.REVERT, ChangeAction.EDIT]


@pytest.mark.parametrize("kind_key", KIND_KEYS)
def test_visitors_read_pages_histories_diffs_and_feeds_when_reading_is_public(client, analyst, deps, kind_key):
    kind = PAGE_KINDS[kind_key]
    page = make_page(kind_key, author=analyst, deps=deps)
    first = editing.latest_revision_id(page)
    service_edit(page, analyst, body="Second version.")
    key = kind.key_of(page)
    for url in (
        kind.url("detail", key),
        kind.url("history", key),
        kind.url("diff", key),
        kind.url("diff", key) + f"?from={first}",
        kind.url("revision", key, revision_id=first),
        kind.url("feed", key),
        "/changes/",
        f"/changes/?kind={kind_key}",
        "/changes/feed/",
        "/users/ana/",
        "/search/?q=Lone",
        f"/lookup/{kind_key}/?q=Lone",
    ):
        assert client.get(url).status_code == 200, url
    # What a visitor sees offers no edit links.
    tabs = parse(client.get(kind.url("detail", key))).find("nav", cls="page-tabs")
    assert [link.text for link in tabs.find_all("a")] == ["Read", "History", "Feed"]


def test_the_watchlist_needs_a_login(client):
    assert is_login_redirect(client.get("/watchlist/"), "/watchlist/")


# ---------------------------------------------------------------------------
# 11. CSRF


def test_a_post_without_the_csrf_token_is_refused_and_saves_nothing(analyst, deps):
    client = Client(enforce_csrf_checks=True)
    client.force_login(analyst)
    page = make_page("company", author=analyst, deps=deps)
    kind = PAGE_KINDS["company"]
    create_form = form_data(client.get(kind.create_url()))
    edit_form = form_data(client.get(kind.url("edit", page.slug)))
    revisions, watches = Revision.objects.count(), Watch.objects.count()

    for url, data in [
        (kind.create_url(), {**create_form, **typed_values("company", deps)}),
        (kind.url("edit", page.slug), {**edit_form, "body": "Changed."}),
        (kind.url("delete", page.slug), {"summary": "Gone"}),
        (kind.url("watch", page.slug), {"action": "unwatch"}),
    ]:
        without_token = {name: value for name, value in data.items() if name != "csrfmiddlewaretoken"}
        assert submit(client, url, without_token).status_code == 403, url

    assert (Revision.objects.count(), Watch.objects.count()) == (revisions, watches)
    assert not Company.objects.filter(slug="cerebras").exists()
    assert reload(page).body == "Standalone page."
    # The same form with the token the page gave is accepted.
    assert "csrfmiddlewaretoken" in edit_form
    assert submit(client, kind.url("edit", page.slug), {**edit_form, "body": "Changed."}).status_code == 302


# ---------------------------------------------------------------------------
# 12. Size limits


@pytest.mark.parametrize(
    ("kind_key", "field", "text"),
    [
        ("company", "body", "x" * 1001),
        ("company", "body", "英" * 334),  # 334 characters, 1,002 bytes: the limit is in bytes
        ("claim", "statement", "y" * 1001),
        ("claim", "body", "z" * 1001),
    ],
)
def test_a_text_over_the_size_limit_is_refused_naming_the_limit(settings, analyst_client, deps, kind_key, field, text):
    settings.INTEL_MAX_BODY_BYTES = 1000
    url = PAGE_KINDS[kind_key].create_url()
    form = form_data(analyst_client.get(url))
    revisions = Revision.objects.count()
    response = submit(analyst_client, url, {**form, **typed_values(kind_key, deps), field: text})

    assert response.status_code == 400
    [error] = field_errors(response, field)
    assert f"This text is {len(text.encode()):,} bytes; the limit is 1,000." in error
    assert Revision.objects.count() == revisions


def test_an_edit_over_the_size_limit_is_refused_and_a_text_at_the_limit_is_saved(settings, analyst, deps):
    settings.INTEL_MAX_BODY_BYTES = 1000
    page = make_page("company", author=analyst, deps=deps)
    client = logged_in(analyst)
    url = PAGE_KINDS["company"].url("edit", page.slug)
    form = form_data(client.get(url))

    refused = submit(client, url, {**form, "body": "b" * 1001})
    assert refused.status_code == 400
    assert "the limit is 1,000" in field_errors(refused, "body")[0]
    assert reload(page).body == "Standalone page."

    assert submit(client, url, {**form, "body": "b" * 1000}).status_code == 302
    assert reload(page).body == "b" * 1000


# ---------------------------------------------------------------------------
# 13. Recent changes, contributions and the watchlist


@pytest.fixture
def three_changes(analyst, other_analyst):
    """ana creates Alpha, bob creates the product Beta, then ana edits Alpha."""
    alpha = company_create(author=analyst, name="Alpha", slug="alpha", summary="Start Alpha")
    product_create(author=other_analyst, name="Beta", slug="beta", vendor=alpha, kind="gpu", summary="Start Beta")
    service_edit(alpha, analyst, summary="Grow Alpha", body="Alpha makes things.")
    return alpha


def test_recent_changes_lists_the_newest_first_and_filters_by_kind_and_user(client, three_changes):
    rows = change_rows(client.get("/changes/"))
    assert [(row["page"], row["who"], row["what"]) for row in rows] == [
        ("company Alpha", "ana", "Edited Grow Alpha"),
        ("product Beta", "bob", "Created Start Beta"),
        ("company Alpha", "ana", "Created Start Alpha"),
    ]
    assert rows[0]["size"] == f"+{len('Alpha makes things.')}"
    assert [row["page"] for row in change_rows(client.get("/changes/?kind=product"))] == ["product Beta"]
    assert [row["what"] for row in change_rows(client.get("/changes/?user=bob"))] == ["Created Start Beta"]
    both = change_rows(client.get("/changes/?kind=company&user=ana"))
    assert [row["what"] for row in both] == ["Edited Grow Alpha", "Created Start Alpha"]
    assert "No changes match yet." in client.get("/changes/?kind=claim").text


def test_paging_through_recent_changes_shows_every_change_once(client, analyst):
    # A claim saved with a source described in its form is one revision with two change lines;
    # 49 newer changes put the page break of 50 rows between those two lines.
    claim_create(
        author=analyst,
        statement="A claim from a new source.",
        citations=[{"new_source": {"title": "Brand-new source", "url": "", "publisher": ""}, "quote": "Quoted."}],
    )
    alpha = company_create(author=analyst, name="Alpha", slug="alpha")
    for number in range(48):
        service_edit(alpha, analyst, body=f"Version {number}.")
    assert Change.objects.count() == 51

    seen, url = [], "/changes/"
    while url:
        response = client.get(url)
        seen += change_rows(response)
        older = [link for link in parse(response).find_all("a") if link.text == "Older changes"]
        url = "/changes/" + older[0].get("href") if older else None

    assert len(seen) == 51
    assert "source Brand-new source" in [row["page"] for row in seen]


def test_contributions_list_only_that_users_changes(client, three_changes):
    response = client.get("/users/bob/")
    assert response.status_code == 200
    assert [(row["page"], row["who"]) for row in change_rows(response)] == [("product Beta", "bob")]
    assert [row["who"] for row in change_rows(client.get("/users/ana/"))] == ["ana", "ana"]
    assert client.get("/users/nobody/").status_code == 404


def test_watching_and_unwatching_a_page_changes_the_watchlist(analyst, other_analyst, three_changes):
    client = logged_in(analyst)
    beta = PAGE_KINDS["product"]
    watched = parse(client.get("/watchlist/")).find("ul", cls="watched")
    assert [link.text for link in watched.find_all("a")] == ["Alpha"], "ana's own page, not bob's"
    assert "Beta" not in " ".join(row["page"] for row in change_rows(client.get("/watchlist/")))

    watch_url = beta.url("watch", "beta")
    response = client.post(watch_url, form_data(client.get("/products/beta/"), cls=None, action=watch_url))
    assert response.status_code == 302
    listing = client.get("/watchlist/")
    assert [link.text for link in parse(listing).find("ul", cls="watched").find_all("a")] == ["Alpha", "Beta"]
    assert "product Beta" in [row["page"] for row in change_rows(listing)]

    client.post(beta.url("watch", "beta"), {"action": "unwatch"})
    listing = client.get("/watchlist/")
    assert [link.text for link in parse(listing).find("ul", cls="watched").find_all("a")] == ["Alpha"]
    assert "product Beta" not in [row["page"] for row in change_rows(listing)]


def test_editing_a_page_watches_it_and_its_later_changes_show_on_the_watchlist(analyst, other_analyst, deps):
    page = make_page("company", author=other_analyst, deps=deps, name="Watched Co")
    client = logged_in(analyst)
    assert not Watch.objects.filter(user=analyst, object_id=str(page.pk)).exists()
    url = PAGE_KINDS["company"].url("edit", page.slug)
    assert submit(client, url, {**form_data(client.get(url)), "body": "Ana's edit."}).status_code == 302

    service_edit(page, other_analyst, summary="Bob again", body="Bob's later edit.")

    listing = client.get("/watchlist/")
    assert "Watched Co" in [link.text for link in parse(listing).find("ul", cls="watched").find_all("a")]
    rows = change_rows(listing)
    assert (rows[0]["page"], rows[0]["who"], rows[0]["what"]) == ("company Watched Co", "bob", "Edited Bob again")


# ---------------------------------------------------------------------------
# 14. Atom feeds


def atom_entries(response) -> list[dict[str, str]]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)
    assert feed.tag == f"{ATOM}feed"
    return [
        {
            "title": entry.findtext(f"{ATOM}title"),
            "link": entry.find(f"{ATOM}link").get("href"),
            "author": entry.findtext(f"{ATOM}author/{ATOM}name"),
        }
        for entry in feed.findall(f"{ATOM}entry")
    ]


def test_the_recent_changes_feed_is_atom_with_an_entry_per_change(client, three_changes):
    entries = atom_entries(client.get("/changes/feed/"))
    assert [entry["title"] for entry in entries] == [
        "Edited company: Alpha",
        "Created product: Beta",
        "Created company: Alpha",
    ]
    assert [entry["author"] for entry in entries] == ["ana", "bob", "ana"]
    assert urlsplit(entries[0]["link"]).path == "/companies/alpha/diff/"


def test_a_pages_feed_has_only_that_pages_changes(client, three_changes):
    entries = atom_entries(client.get("/companies/alpha/feed/"))
    assert [entry["title"] for entry in entries] == ["Edited company: Alpha", "Created company: Alpha"]
    assert [entry["title"] for entry in atom_entries(client.get("/products/beta/feed/"))] == ["Created product: Beta"]


# ---------------------------------------------------------------------------
# 15. Search and lookups


def test_search_finds_nvidia_grouped_under_companies(client, world):
    response = client.get("/search/?q=nvid")
    assert response.status_code == 200
    section = parse(response).find("section", **{"aria-labelledby": "results-company"})
    assert section.find("h2").text == "Companies"
    assert [(link.text, link.get("href")) for link in section.find_all("a")] == [("Nvidia", "/companies/nvidia/")]
    only_claims = parse(client.get("/search/?q=nvid&kind=claim"))
    assert not only_claims.find_all("section", **{"aria-labelledby": "results-company"})


def test_lookup_answers_json_for_search_as_you_type(client, world):
    response = client.get("/lookup/company/?q=nv")
    assert response.status_code == 200
    assert response.json() == {"results": [{"id": world.nvidia.pk, "label": "Nvidia"}]}
    assert client.get("/lookup/company/").json() == {"results": []}
    assert client.get("/lookup/nonsense/?q=nv").status_code == 404


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("n" * 10_000, []),
        ("%", []),  # LIKE wildcards match themselves, not "anything"
        ("_", []),
        ("%_'\"\\", []),
        ('"', []),
        ("\\", []),
        ("' OR 1=1 --", []),
        ('"><script>x</script>', []),
        ("'s data", ["Nvidia's data-center revenue was 115.2 bn USD in fiscal 2025."]),
    ],
)
def test_search_survives_long_queries_and_punctuation(client, world, query, found):
    response = client.get("/search/", {"q": query})
    assert response.status_code == 200
    assert_no_active_content(response)
    results = parse(response).find_all("ul", cls="results")
    assert [link.text for results_list in results for link in results_list.find_all("a")] == found
    if not found:
        assert "Nothing matches" in response.text
    lookup = client.get("/lookup/company/", {"q": query})
    assert lookup.status_code == 200 and lookup.json() == {"results": []}


# ---------------------------------------------------------------------------
# 16. Accounts


def test_a_user_changes_their_password_and_logs_in_with_the_new_one(client, analyst):
    client.force_login(analyst)
    form_page = client.get("/accounts/password_change/")
    assert form_page.status_code == 200
    form = form_data(form_page)
    data = {
        **form,
        "old_password": "correct horse battery staple",
        "new_password1": "a quite different passphrase 42",
        "new_password2": "a quite different passphrase 42",
    }
    response = client.post("/accounts/password_change/", data, follow=True)
    assert response.redirect_chain[-1][0] == "/accounts/password_change/done/"
    assert "Password changed" in response.text

    client.logout()
    assert not client.login(username="ana", password="correct horse battery staple")
    login_page = client.get("/accounts/login/")
    login = {
        **form_data(login_page, cls="login"),
        "username": "ana",
        "password": "a quite different passphrase 42",
    }
    assert client.post("/accounts/login/", login).status_code == 302
    assert client.get("/watchlist/").status_code == 200


def test_a_wrong_old_password_is_refused_next_to_the_field(client, analyst):
    client.force_login(analyst)
    data = {"old_password": "wrong", "new_password1": "another passphrase 42", "new_password2": "another passphrase 42"}
    response = client.post("/accounts/password_change/", data)
    assert response.status_code == 200
    assert field_errors(response, "old_password")
    assert client.login(username="ana", password="correct horse battery staple")


def test_the_password_change_page_needs_a_login(client):
    assert is_login_redirect(client.get("/accounts/password_change/"), "/accounts/password_change/")


# ---------------------------------------------------------------------------
# 17. Query counts do not grow with the size of a page


def add_claims(count: int, *, sources, speaker=None, companies=(), products=(), milestones=(), start: int = 0):
    """``count`` claims of mixed kinds about the given pages, each with two citations, in a few queries."""
    kinds = [ClaimKind.FACT, ClaimKind.OPINION, ClaimKind.PLAN, ClaimKind.FORECAST]
    claims = Claim.objects.bulk_create(
        Claim(statement=f"Bulk claim {start + index}.", kind=kinds[index % len(kinds)]) for index in range(count)
    )
    for field, pages in (("companies", companies), ("products", products), ("milestones", milestones)):
        through = getattr(Claim, field).through
        column = f"{getattr(Claim, field).field.related_model._meta.model_name}_id"
        through.objects.bulk_create(
            through(claim_id=claim.pk, **{column: page.pk}) for claim in claims for page in pages
        )
    Citation.objects.bulk_create(
        Citation(claim=claim, source=sources[number % len(sources)], speaker=speaker, quote=f"Quote {number}.")
        for claim in claims
        for number in range(2)
    )
    return claims


def test_the_nvidia_page_costs_as_many_queries_with_200_claims_as_with_20(
    client, analyst, django_assert_max_num_queries
):
    load_demo(password="demo-pass-123")
    nvidia = Company.objects.get(slug="nvidia")
    sources = [Source.objects.first(), source_create(author=analyst, title="Another source")]
    speaker = Person.objects.first()
    demo_claims = nvidia.claims.count()
    client.force_login(analyst)
    add_claims(20, sources=sources, speaker=speaker, companies=[nvidia])
    client.get("/companies/nvidia/")  # warm the content-type and session caches
    with CaptureQueriesContext(connection) as with_20:
        response = client.get("/companies/nvidia/")
    assert len(parse(response).find_all("li", cls="claim")) == demo_claims + 20

    add_claims(180, sources=sources, speaker=speaker, companies=[nvidia], start=20)

    with django_assert_max_num_queries(len(with_20)):
        response = client.get("/companies/nvidia/")
    assert len(parse(response).find_all("li", cls="claim")) == demo_claims + 200
    assert len(parse(response).find("ol", cls="footnotes").find_all("li")) >= 400


@pytest.mark.parametrize("kind_key", KIND_KEYS)
def test_no_page_costs_more_queries_as_its_claims_and_citations_grow(client, analyst, world, kind_key):
    page = world.page(kind_key)
    sources = [world.keynote, source_create(author=analyst, title="Another source")]
    about = {"companies": [world.nvidia], "products": [world.gb200], "milestones": [world.ships]}

    def grow(count, start):
        if kind_key == "claim":  # a claim's own page grows with its citations
            Citation.objects.bulk_create(
                Citation(claim=world.revenue, source=sources[n % 2], speaker=world.jensen, quote=f"Quote {n}.")
                for n in range(start, start + 2 * count)
            )
        else:
            add_claims(count, sources=sources, speaker=world.jensen, start=start, **about)

    client.force_login(analyst)
    grow(20, 0)
    client.get(page.get_absolute_url())
    with CaptureQueriesContext(connection) as small:
        client.get(page.get_absolute_url())
    grow(180, 20)
    with CaptureQueriesContext(connection) as large:
        response = client.get(page.get_absolute_url())
    assert response.status_code == 200
    assert len(large) == len(small), [query["sql"][:120] for query in large.captured_queries]


@pytest.mark.parametrize("path", ["/changes/", "/companies/alpha/history/", "/watchlist/", "/changes/feed/"])
def test_history_and_change_lists_cost_the_same_queries_however_long_the_history(client, analyst, path):
    alpha = company_create(author=analyst, name="Alpha", slug="alpha")
    client.force_login(analyst)
    for number in range(3):
        service_edit(alpha, analyst, body=f"Version {number}.")
    client.get(path)
    with CaptureQueriesContext(connection) as short:
        client.get(path)
    for number in range(3, 30):
        service_edit(alpha, analyst, body=f"Version {number}.")
        company_create(author=analyst, name=f"Other {number}", slug=f"other-{number}")
    with CaptureQueriesContext(connection) as long:
        client.get(path)
    assert len(long) == len(short), [query["sql"][:120] for query in long.captured_queries]
