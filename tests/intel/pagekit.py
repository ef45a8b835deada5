"""Shared pieces of the page tests: reading rendered HTML like a browser, posting forms as a
browser does, and the pages (fixtures) the stories start from.

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
from django.test import Client
from django.utils.text import slugify

from companies.models import Company
from companies.services import company_create
from intel import editing
from intel.choices import Role
from intel.models import Claim, Person, Source
from intel.pages import PAGE_KINDS, kind_for_model
from intel.services import claim_create, person_create, source_create
from products.models import Architecture, Milestone, Product
from products.services import architecture_create, milestone_create, product_create
from tests.factories import UserFactory

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


def log_in(client: Client, username: str, password: str):
    """Fill in and send the login form as a visitor does: 302 when it worked, the form again when not."""
    login = {**form_data(client.get("/accounts/login/"), cls="login"), "username": username, "password": password}
    return client.post("/accounts/login/", login)


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


NVIDIA_BODY = "Nvidia designs GPUs.\n\nIts data-center business grew fastest.\n\nIt buys HBM from SK Hynix."


@pytest.fixture
def nvidia(other_analyst):
    return company_create(author=other_analyst, name="Nvidia", slug="nvidia", country="US", body=NVIDIA_BODY)


@pytest.fixture
def edited_company(analyst, other_analyst):
    """A company with three revisions: created by ana, edited by bob, then shortened by ana."""
    company = company_create(
        author=analyst, summary="First version", name="Groq", slug="groq", country="US", body="Groq designs LPUs."
    )
    service_edit(company, other_analyst, summary="Say what for", country="CA", body="Groq designs LPUs for inference.")
    service_edit(company, analyst, summary="Shorter", body="Groq designs chips.")
    return company


@pytest.fixture
def three_changes(analyst, other_analyst):
    """ana creates Alpha, bob creates the product Beta, then ana edits Alpha."""
    alpha = company_create(author=analyst, name="Alpha", slug="alpha", summary="Start Alpha")
    product_create(author=other_analyst, name="Beta", slug="beta", vendor=alpha, kind="gpu", summary="Start Beta")
    service_edit(alpha, analyst, summary="Grow Alpha", body="Alpha makes things.")
    return alpha


def add_citation_row(data: dict, **fields) -> dict:
    """What the "Add another citation" button does: one more row in the formset."""
    index = int(data["citations-TOTAL_FORMS"])
    row = {f"citations-{index}-{name}": value for name, value in fields.items()}
    return {**data, **row, "citations-TOTAL_FORMS": str(index + 1)}


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
