# ruff: noqa: E501 - data: long sentences read better unbroken
"""Demo dataset for the intel wiki: Nvidia's GTC 2025 roadmap and its reception.

Everything here is drawn from one seed article (Leiphone / 雷峰網, 2025-03-24,
by 包永剛, edited by 王亞峰; see ``SOURCE``), held at
``shared/seeds/gtc2025-roadmap-article.txt`` beside the repository. Titles, bodies and claim
statements are written in our own English words. The only verbatim text is each
citation's ``quote``: a short fragment copied byte-for-byte from the scraped
article (including its ``(dá)``-style pronunciation notes), with our own English
``translation`` alongside. A few background facts that the article does not
state (founding years, websites, architecture introduction dates, lifecycle
statuses) come from general knowledge and carry no citation.

Plain Python data only: no Django imports. Choice values are the lowercase
values from ``intel/choices.py``, ``companies/choices.py`` and
``products/choices.py``. Fuzzy dates are strings such as "2025", "2025-H2",
"2025-Q3", "2025-03" or "2025-03-24", or None.
"""

# ---------------------------------------------------------------------------
# Source
# ---------------------------------------------------------------------------

SOURCE = dict(
    kind="article",
    title="英偉達(dá)「激進」的產(chǎn)品路線圖,為何沒能刺激投資者?",
    title_en="Why did Nvidia's 'aggressive' product roadmap fail to excite investors?",
    url="",
    publisher="雷峰網 (Leiphone)",
    authors=["包永剛"],
    language="zh-Hant",
    published="2025-03-24",
    reliability="C",
    body=(
        "Chinese-language trade-press analysis of Nvidia's GTC 2025 roadmap and the muted "
        "market reaction, mixing keynote figures with comments from named and pseudonymous "
        "industry insiders. The stored copy is a scrape in traditional characters with "
        "pronunciation notes and a few garbled spots."
    ),
)

# Sources an analyst has put in the wiki that no moderator has looked at yet: the
# moderation queue of the demo. They are real documents the article refers to; no text
# of theirs is archived here.
PENDING_SOURCES = [
    dict(
        kind="keynote",
        title="NVIDIA GTC 2025 keynote",
        url="",
        publisher="Nvidia",
        authors=["Jensen Huang"],
        language="en",
        published="2025-03-18",
        body="The keynote the roadmap article reports on: the yearly product cadence and the NVLink roadmap.",
    ),
    dict(
        kind="press_release",
        title="AMD completes acquisition of ZT Systems",
        url="",
        publisher="AMD",
        authors=[],
        language="en",
        published="2025-03-31",
        body="AMD's announcement that the purchase of the rack-scale system builder has closed.",
    ),
]

# ---------------------------------------------------------------------------
# Companies
# ---------------------------------------------------------------------------

COMPANIES = [
    dict(
        slug="nvidia",
        name="Nvidia",
        aliases=["NVIDIA", "英偉達", "輝達", "英伟达", "辉达"],
        kind="chip_vendor",
        country="US",
        website="https://www.nvidia.com",
        founded=1993,
        tracked=True,
        body=(
            "US designer of GPUs and full AI systems, led by [[Jensen Huang]]. At GTC 2025 it "
            "laid out a yearly product cadence and pitched itself as an AI infrastructure "
            "company rather than a chip vendor."
        ),
    ),
    dict(
        slug="amd",
        name="AMD",
        aliases=["Advanced Micro Devices", "超威半導體", "超威半导体", "超微"],
        kind="chip_vendor",
        country="US",
        website="https://www.amd.com",
        founded=1969,
        tracked=True,
        body=(
            "US CPU and GPU maker and [[Nvidia]]'s closest GPU rival. Its 2024 move to buy "
            "[[ZT Systems]] pushes it toward selling rack-scale systems."
        ),
    ),
    dict(
        slug="zt-systems",
        name="ZT Systems",
        aliases=["ZT"],
        kind="system_integrator",
        country="US",
        website="https://www.ztsystems.com",
        founded=1994,
        tracked=True,
        body=("US builder of hyperscale server and rack infrastructure, acquired by [[AMD]] (deal announced in 2024)."),
    ),
    dict(
        slug="microsoft",
        name="Microsoft",
        aliases=["微軟", "微软", "Azure"],
        kind="cloud_provider",
        country="US",
        website="https://www.microsoft.com",
        founded=1975,
        tracked=False,
        body=(
            "US software and cloud giant. It backs [[OpenAI]], hosts OpenAI on its cloud and "
            "buys [[Nvidia]] hardware: the self-reinforcing loop the article describes."
        ),
    ),
    dict(
        slug="openai",
        name="OpenAI",
        aliases=[],
        kind="ai_lab",
        country="US",
        website="https://openai.com",
        founded=2015,
        tracked=False,
        body="US AI lab, funded by [[Microsoft]] and running on Microsoft's cloud.",
    ),
    dict(
        slug="deepseek",
        name="DeepSeek",
        aliases=["深度求索"],
        kind="ai_lab",
        country="CN",
        website="https://www.deepseek.com",
        founded=2023,
        tracked=False,
        body=(
            "Chinese AI lab whose low-cost large models raised doubts about how much "
            "[[Nvidia]] hardware the industry really needs."
        ),
    ),
    dict(
        slug="tsmc",
        name="TSMC",
        aliases=["Taiwan Semiconductor Manufacturing Company", "臺積電", "台积电"],
        kind="foundry",
        country="TW",
        website="https://www.tsmc.com",
        founded=1987,
        tracked=False,
        body=(
            "Taiwanese contract chipmaker and [[Nvidia]]'s main foundry. The article recalls "
            "heat and power trouble Nvidia ran into on TSMC's then-leading 40nm node in 2009."
        ),
    ),
    dict(
        slug="leiphone",
        name="Leiphone",
        aliases=["雷峰網", "雷峰网"],
        kind="media",
        country="CN",
        website="https://www.leiphone.com",
        founded=None,
        tracked=False,
        body="Chinese tech news site and publisher of the seed article on GTC 2025.",
    ),
    dict(
        slug="kailidi",
        name="Kailidi Technology",
        aliases=["凱力迪科技", "凯力迪科技"],
        kind="other",
        country="",
        website="",
        founded=None,
        tracked=False,
        body=(
            "Company whose general manager [[Yang Fei]] commented on Nvidia's move to socketed "
            "GPU boards. The article does not say what the company does or where it is based. "
            "In the scraped text the first character of its name is garbled."
        ),
    ),
]

# ---------------------------------------------------------------------------
# Company relations
# ---------------------------------------------------------------------------

RELATIONS = [
    dict(subject="amd", object="zt-systems", kind="acquired", started="2024", claims=["amd-acquires-zt"]),
    dict(
        subject="amd",
        object="nvidia",
        kind="competes_with",
        started=None,
        claims=["amd-acquires-zt", "competitors-8-gpus"],
    ),
    dict(subject="microsoft", object="openai", kind="invested_in", started=None, claims=["ms-invests-openai"]),
    dict(subject="openai", object="microsoft", kind="customer_of", started=None, claims=["openai-uses-ms-cloud"]),
    dict(subject="microsoft", object="nvidia", kind="customer_of", started=None, claims=["ms-buys-nvidia"]),
    dict(subject="nvidia", object="tsmc", kind="customer_of", started="2009", claims=["tsmc-40nm-2009"]),
]

# ---------------------------------------------------------------------------
# Architectures
# ---------------------------------------------------------------------------

ARCHITECTURES = [
    dict(
        slug="volta",
        name="Volta",
        vendor="nvidia",
        introduced="2017",
        body="Nvidia data-center GPU architecture behind the [[V100]].",
    ),
    dict(
        slug="ampere",
        name="Ampere",
        vendor="nvidia",
        introduced="2020",
        body="Nvidia data-center GPU architecture behind the [[A100]].",
    ),
    dict(
        slug="hopper",
        name="Hopper",
        vendor="nvidia",
        introduced="2022",
        body=(
            "Nvidia data-center GPU architecture behind the H100 family. According to the "
            "GTC 2025 keynote, the top four US clouds bought 1.3 million Hopper chips in 2024."
        ),
    ),
    dict(
        slug="blackwell",
        name="Blackwell",
        vendor="nvidia",
        introduced="2024",
        body=(
            "Nvidia's current architecture, and the first to carry two product generations "
            "([[Blackwell GPU]], then [[Blackwell Ultra]]) under the new yearly cadence."
        ),
    ),
    dict(
        slug="rubin",
        name="Rubin",
        vendor="nvidia",
        introduced=None,
        body=(
            "The next Nvidia architecture after Blackwell on the multi-year roadmap shown at "
            "GTC 2025. The seed article does not name it. It is kept here only as a "
            "placeholder for the next step of the two-year architecture cycle."
        ),
    ),
]

# ---------------------------------------------------------------------------
# Products
# ---------------------------------------------------------------------------

PRODUCTS = [
    dict(
        slug="v100",
        name="V100",
        vendor="nvidia",
        architecture="volta",
        kind="gpu",
        predecessor=None,
        status="end_of_life",
        body=(
            "Volta data-center GPU. In the V100 era Nvidia still sold bare chip modules, "
            "before it moved on to boards and then to whole systems."
        ),
    ),
    dict(
        slug="a100",
        name="A100",
        vendor="nvidia",
        architecture="ampere",
        kind="gpu",
        predecessor="v100",
        status="end_of_life",
        body=(
            "Ampere data-center GPU. With the A100, Nvidia stopped selling bare modules and "
            "sold only complete boards with the baseboard included."
        ),
    ),
    dict(
        slug="hopper-gpu",
        name="Hopper GPU (H100 family)",
        vendor="nvidia",
        architecture="hopper",
        kind="gpu",
        predecessor="a100",
        status="shipping",
        body=(
            "Hopper-generation data-center GPUs (H100/H200). They are the baseline for "
            "Nvidia's claimed 40x inference gain of [[Blackwell GPU]] running [[Dynamo]]."
        ),
    ),
    dict(
        slug="blackwell-gpu",
        name="Blackwell GPU",
        vendor="nvidia",
        architecture="blackwell",
        kind="gpu",
        predecessor="hopper-gpu",
        status="shipping",
        body=(
            "First Blackwell product generation. According to the keynote, 3.6 million "
            "Blackwell GPUs were bought by the top four US clouds in 2025."
        ),
    ),
    dict(
        slug="blackwell-ultra",
        name="Blackwell Ultra",
        vendor="nvidia",
        architecture="blackwell",
        kind="gpu",
        predecessor="blackwell-gpu",
        status="announced",
        body=(
            "Second product generation on the Blackwell architecture, unveiled at GTC 2025. "
            "A board supplier expects socketed (rather than soldered) versions in Q3 2025."
        ),
    ),
    dict(
        slug="gb200",
        name="GB200",
        vendor="nvidia",
        architecture="blackwell",
        kind="system",
        predecessor=None,
        status="shipping",
        body=(
            "Grace CPU plus Blackwell GPU superchip, the building block of Nvidia's rack-scale "
            "systems. Its production and deliveries slipped several times during the year "
            "before GTC 2025."
        ),
    ),
    dict(
        slug="nvl72",
        name="GB200 NVL72",
        vendor="nvidia",
        architecture="blackwell",
        kind="system",
        predecessor=None,
        status="shipping",
        body=(
            "Rack that joins 72 GPUs in a single [[NVLink]] domain. One insider argues the "
            "40x inference claim shows how much hardware and software tuning room the rack has."
        ),
    ),
    dict(
        slug="dgx",
        name="DGX",
        vendor="nvidia",
        architecture=None,
        kind="system",
        predecessor=None,
        status="shipping",
        body=(
            "Nvidia's complete AI server and cluster line. Nvidia casts it as the hardware of "
            "the AI factory, combining yearly GPU platforms with [[Spectrum-X]] and "
            "[[Quantum-X]] switching."
        ),
    ),
    dict(
        slug="dynamo",
        name="Dynamo",
        vendor="nvidia",
        architecture=None,
        kind="software",
        predecessor=None,
        status="announced",
        body=(
            "Distributed inference-serving library announced at GTC 2025 and billed as the "
            "operating system of the AI factory. Insiders expect its buyers to be mainly "
            "enterprises, not the internet giants."
        ),
    ),
    dict(
        slug="spectrum-x",
        name="Spectrum-X",
        vendor="nvidia",
        architecture=None,
        kind="networking",
        predecessor=None,
        status="shipping",
        body=(
            "Nvidia's Ethernet networking platform for AI. The article mentions its "
            "silicon-photonics switches as part of the DGX AI-factory hardware."
        ),
    ),
    dict(
        slug="quantum-x",
        name="Quantum-X",
        vendor="nvidia",
        architecture=None,
        kind="networking",
        predecessor=None,
        status="announced",
        body=(
            "Nvidia's InfiniBand switching line. The article mentions it alongside "
            "[[Spectrum-X]] in the context of silicon-photonics switches."
        ),
    ),
    dict(
        slug="ai-q",
        name="AI-Q (NVIDIA IQ Blueprint)",
        vendor="nvidia",
        architecture=None,
        kind="software",
        predecessor=None,
        status="announced",
        body=(
            "Reference blueprint for building AI agents, which Nvidia offers as the "
            "customer-facing tool for deploying AI in its AI-factory stack."
        ),
    ),
    dict(
        slug="nvlink",
        name="NVLink",
        vendor="nvidia",
        architecture=None,
        kind="interconnect",
        predecessor=None,
        status="shipping",
        body=(
            "Nvidia's GPU-to-GPU interconnect. It already links 72 GPUs in one domain and is "
            "being extended to 144 and 576, which the article sees as part of Nvidia's "
            "training moat."
        ),
    ),
    dict(
        slug="nvswitch",
        name="NVSwitch",
        vendor="nvidia",
        architecture=None,
        kind="interconnect",
        predecessor=None,
        status="shipping",
        body=(
            "Switch chip that builds [[NVLink]] domains. An analyst credits it, together with "
            "distributed scheduling, with about 8x of the 40x inference gain."
        ),
    ),
    dict(
        slug="cuda",
        name="CUDA",
        vendor="nvidia",
        architecture=None,
        kind="software",
        predecessor=None,
        status="shipping",
        body=(
            "Nvidia's GPU programming platform. Insiders describe CUDA plus Nvidia GPUs as the "
            "default choice for general-purpose AI training."
        ),
    ),
]

# ---------------------------------------------------------------------------
# Milestones
# ---------------------------------------------------------------------------

# Edits replayed onto a milestone after it is created, each recorded on the given day, so
# its history shows slips. The seed article says only that GB200 slipped several times in
# the year before GTC 2025; the dates are illustrative and the summaries say so. The last
# edit cites the article's own words for the delays (claim key, citation index).
MILESTONE_HISTORY = {
    "gb200-volume-delay": [
        dict(
            recorded="2024-03-19",
            target="2024-Q3",
            status="planned",
            summary="Demo history (illustrative date): volume production first expected in Q3 2024",
        ),
        dict(
            recorded="2024-08-05",
            target="2024-Q4",
            status="delayed",
            summary="Demo history (illustrative date): volume production now expected in Q4 2024",
        ),
        dict(
            recorded="2024-11-20",
            target="2025-Q1",
            status="delayed",
            summary="Demo history (illustrative date): volume production now expected in Q1 2025",
        ),
        dict(
            recorded="2025-03-24",
            target="2025-Q1",
            status="delayed",
            cite=("gb200-delays", 0),
            summary="The seed article confirms repeated delays to volume production and deliveries",
        ),
    ],
}

MILESTONES = [
    dict(
        key="gtc2025-roadmap",
        title="Three-year product roadmap presented at GTC 2025",
        product=None,
        company="nvidia",
        kind="announce",
        target="2025-03",
        actual="2025-03",
        status="done",
        body=(
            "[[Jensen Huang]] set out the product plan for the next three years at the GTC 2025 "
            "keynote: one new product generation a year. The stock still fell that day."
        ),
    ),
    dict(
        key="dynamo-announce",
        title="Dynamo inference-serving library unveiled",
        product="dynamo",
        company="nvidia",
        kind="announce",
        target="2025-03",
        actual="2025-03",
        status="done",
        body="Nvidia introduced [[Dynamo]] at GTC 2025 as its distributed inference-serving layer.",
    ),
    dict(
        key="bw-ultra-socket-ship",
        title="First socketed Blackwell Ultra boards expected",
        product="blackwell-ultra",
        company="nvidia",
        kind="ship",
        target="2025-Q3",
        actual=None,
        status="planned",
        body=(
            "[[Yang Fei]] of [[Kailidi Technology]] expects [[Blackwell Ultra]] designs that plug "
            "the GPU into a socket, rather than soldering it to the board, by the third quarter "
            "of 2025."
        ),
    ),
    dict(
        key="domestic-socket-follow",
        title="Chinese firms adopt the socketed Blackwell Ultra board design",
        product="blackwell-ultra",
        company="nvidia",
        kind="other",
        target="2026",
        actual=None,
        status="planned",
        body=(
            "Domestic Chinese companies are not expected to follow Nvidia's socketed board "
            "design until the year after 2025 at the earliest. The article does not name "
            "these followers, so the milestone is filed under Nvidia's product."
        ),
    ),
    dict(
        key="amd-zt-acquisition",
        title="AMD moves to acquire ZT Systems",
        product=None,
        company="amd",
        kind="announce",
        target="2024",
        actual="2024",
        status="done",
        body=(
            "In 2024 [[AMD]] moved to buy the hyperscale system builder [[ZT Systems]], a step "
            "toward selling whole rack-scale systems against Nvidia's."
        ),
    ),
    dict(
        key="gb200-volume-delay",
        title="GB200 volume production and deliveries slip",
        product="gb200",
        company="nvidia",
        kind="volume_production",
        target=None,
        actual=None,
        status="delayed",
        body=(
            "During the year before GTC 2025, [[GB200]] ramp-up and shipments slipped several "
            "times because of yield, interconnect, power delivery and cooling problems. The "
            "article gives neither the original nor the revised dates: the dated targets in this "
            "page's history are illustrative, there to show how the wiki computes slips."
        ),
    ),
    dict(
        key="roadmap-gen-2025",
        title="Yearly cadence: 2025 product generation",
        product=None,
        company="nvidia",
        kind="announce",
        target="2025",
        actual=None,
        status="planned",
        body=(
            "First of the three yearly product launches promised on the GTC 2025 roadmap. The "
            "seed article does not say which product fills each slot."
        ),
    ),
    dict(
        key="roadmap-gen-2026",
        title="Yearly cadence: 2026 product generation",
        product=None,
        company="nvidia",
        kind="announce",
        target="2026",
        actual=None,
        status="planned",
        body="Second of the three yearly product launches on the GTC 2025 roadmap.",
    ),
    dict(
        key="roadmap-gen-2027",
        title="Yearly cadence: 2027 product generation",
        product=None,
        company="nvidia",
        kind="announce",
        target="2027",
        actual=None,
        status="planned",
        body="Third of the three yearly product launches on the GTC 2025 roadmap.",
    ),
]

# ---------------------------------------------------------------------------
# People
# ---------------------------------------------------------------------------

PEOPLE = [
    dict(
        slug="jensen-huang",
        name="Jensen Huang",
        aliases=["黃仁勛", "黃仁勳", "黄仁勋"],
        is_pseudonym=False,
        affiliation="nvidia",
        role="Co-founder and CEO of Nvidia",
        body="Gave the GTC 2025 keynote that presented the three-year roadmap and the demand figures.",
    ),
    dict(
        slug="xu-lingjie",
        name="Xu Lingjie",
        aliases=["徐凌杰"],
        is_pseudonym=False,
        affiliation=None,
        role=(
            "Founder of an AI company, apparently Shanghai-based (the company name is garbled in the scraped article)"
        ),
        body=(
            "Named industry source. He calls Nvidia's roadmap aggressive rather than "
            "incremental, breaks down the 40x Dynamo claim, and calls the shift to AI "
            "infrastructure a huge bet."
        ),
    ),
    dict(
        slug="yang-fei",
        name="Yang Fei",
        aliases=["楊飛", "杨飞"],
        is_pseudonym=False,
        affiliation="kailidi",
        role="General manager of Kailidi Technology",
        body="Spoke to Leiphone about Nvidia's move from soldered to socketed GPUs.",
    ),
    dict(
        slug="bowen",
        name="Bowen",
        aliases=["博文"],
        is_pseudonym=True,
        affiliation=None,
        role="Senior investor",
        body="Pseudonymous source. He sees 2025 growth as clear but 2026 as uncertain.",
    ),
    dict(
        slug="haomin",
        name="Haomin",
        aliases=["浩民"],
        is_pseudonym=True,
        affiliation=None,
        role="AI industry veteran",
        body=(
            "Pseudonymous source. He argues that Nvidia is squeezing the toothpaste and that "
            "its edge is weaker in inference than in training."
        ),
    ),
    dict(
        slug="junjie",
        name="Junjie",
        aliases=["俊杰", "俊傑"],
        is_pseudonym=True,
        affiliation=None,
        role="Chip industry practitioner",
        body="Pseudonymous source. He comments on Nvidia's growth cycle and on DSA chips for inference.",
    ),
    dict(
        slug="bao-yonggang",
        name="Bao Yonggang",
        aliases=["包永剛", "包永刚"],
        is_pseudonym=False,
        affiliation="leiphone",
        role="Reporter, author of the seed article",
        body="Leiphone writer covering AI chips.",
    ),
    dict(
        slug="wang-yafeng",
        name="Wang Yafeng",
        aliases=["王亞峰", "王亚峰"],
        is_pseudonym=False,
        affiliation="leiphone",
        role="Editor of the seed article",
        body="Leiphone editor.",
    ),
]

# ---------------------------------------------------------------------------
# Claims
# ---------------------------------------------------------------------------


def _cite(quote, translation, locator, speaker=None):
    return dict(quote=quote, translation=translation, locator=locator, speaker=speaker)


CLAIMS = [
    # ---- Market reaction and financials -------------------------------------
    dict(
        key="share-drop-keynote",
        statement="Nvidia's share price fell by more than 3% on the day of the GTC 2025 keynote.",
        kind="metric",
        metric="share_price_decline",
        value="3",
        unit="%",
        period="2025-03",
        status="unverified",
        credibility=3,
        companies=["nvidia"],
        products=[],
        milestones=["gtc2025-roadmap"],
        citations=[
            _cite("當(dāng)日英偉達(dá)股價下跌超3%", "that day Nvidia's stock dropped more than 3%", "intro, para 2")
        ],
    ),
    dict(
        key="out-of-3t-club",
        statement="The US market slide pushed Nvidia's market value below 3 trillion USD.",
        kind="metric",
        metric="market_cap_upper_bound",
        value="3000",
        unit="bn USD",
        period="2025-03",
        status="unverified",
        credibility=3,
        companies=["nvidia"],
        products=[],
        milestones=[],
        citations=[_cite("跌出3萬億美元俱樂部", "dropped out of the 3-trillion-dollar club", "intro, para 1")],
    ),
    dict(
        key="nvda-rev-2024",
        statement=(
            "Nvidia's revenue for 2024 reached about 130.5 billion USD (the figure matches "
            "its fiscal year ended January 2025)."
        ),
        kind="metric",
        metric="revenue",
        value="130.5",
        unit="bn USD",
        period="2024",
        status="unverified",
        credibility=2,
        companies=["nvidia"],
        products=[],
        milestones=[],
        citations=[
            _cite(
                "2024年全年英偉達(dá)營收高達(dá)1305億美元",
                "Nvidia's revenue for all of 2024 reached 130.5 billion US dollars",
                "§02, para 3",
                "junjie",
            )
        ],
    ),
    dict(
        key="nvda-rev-growth-2024",
        statement="Nvidia's 2024 revenue was up 114% on 2023.",
        kind="metric",
        metric="revenue_growth_yoy",
        value="114",
        unit="%",
        period="2024",
        status="unverified",
        credibility=2,
        companies=["nvidia"],
        products=[],
        milestones=[],
        citations=[_cite("相比2023年增長114%", "up 114% compared with 2023", "§02, para 3", "junjie")],
    ),
    dict(
        key="growth-2025-25pct",
        statement=(
            "Roughly 25% revenue growth in 2025 is already priced in as expected, and only "
            "growth above 25% would count as a beat, since doubling again is out of reach."
        ),
        kind="metric",
        metric="revenue_growth_yoy_expected",
        value="25",
        unit="%",
        period="2025",
        status="unverified",
        credibility=6,
        companies=["nvidia"],
        products=[],
        milestones=[],
        citations=[
            _cite(
                "2025年翻倍的業(yè)績已經(jīng)難以維持",
                "doubling results again in 2025 is hard to sustain",
                "§02, para 3",
                "junjie",
            ),
            _cite("25%的業(yè)績增長屬于預(yù)期", "25% growth is what is expected", "§02, para 3", "junjie"),
        ],
    ),
    dict(
        key="pe-40x-acceptable",
        statement="Investors used to consider a price-to-earnings ratio of about 40 acceptable for Nvidia.",
        kind="metric",
        metric="price_to_earnings",
        value="40",
        unit="x",
        period=None,
        status="unverified",
        credibility=6,
        companies=["nvidia"],
        products=[],
        milestones=[],
        citations=[
            _cite(
                "原來覺得英偉達(dá)的40倍的市盈率(PE)沒問題",
                "people used to think a 40x P/E for Nvidia was fine",
                "§02, para 4",
                "xu-lingjie",
            )
        ],
    ),
    dict(
        key="pe-20x-expensive",
        statement="After DeepSeek, even a price-to-earnings ratio of about 20 may now look too high for Nvidia.",
        kind="metric",
        metric="price_to_earnings",
        value="20",
        unit="x",
        period="2025",
        status="unverified",
        credibility=6,
        companies=["nvidia", "deepseek"],
        products=[],
        milestones=[],
        citations=[
            _cite(
                "現(xiàn)在可能20倍PE都嫌貴", "now even a 20x P/E may be seen as expensive", "§02, para 4", "xu-lingjie"
            )
        ],
    ),
    dict(
        key="bowen-next-year-unclear",
        statement=(
            "Nvidia's 2025 growth looks secure, but its 2026 results are unclear, and markets "
            "have already priced in that uncertainty."
        ),
        kind="opinion",
        metric="",
        value=None,
        unit="",
        period="2026",
        status="unverified",
        credibility=6,
        companies=["nvidia"],
        products=[],
        milestones=[],
        citations=[
            _cite("但明年的業(yè)績尚不明朗", "but next year's results are still unclear", "intro, para 3", "bowen")
        ],
    ),
    dict(
        key="super-growth-cycle",
        statement=(
            "The years 2023 to 2025 form a hyper-growth cycle for Nvidia that has no precedent "
            "even in the semiconductor industry."
        ),
        kind="opinion",
        metric="",
        value=None,
        unit="",
        period=None,
        status="unverified",
        credibility=6,
        companies=["nvidia"],
        products=[],
        milestones=[],
        citations=[
            _cite(
                "2023年到2025年是英偉達(dá)的超級增長周期",
                "2023 to 2025 is Nvidia's super-growth cycle",
                "§02, para 3",
                "junjie",
            )
        ],
    ),
    dict(
        key="capex-indicator",
        statement=(
            "The capital spending of large internet companies, above all the big US cloud "
            "providers, is a useful indicator of Nvidia's revenue momentum."
        ),
        kind="opinion",
        metric="",
        value=None,
        unit="",
        period=None,
        status="unverified",
        credibility=6,
        companies=["nvidia"],
        products=[],
        milestones=[],
        citations=[
            _cite(
                "各大互聯(lián)網(wǎng)公司的資本支出",
                "the capital expenditure of the major internet companies",
                "§02, para 3",
            )
        ],
    ),
    # ---- Keynote figures -----------------------------------------------------
    dict(
        key="compute-100x",
        statement=(
            "Jensen Huang said AI compute demand is now about 100 times what it was a year "
            "earlier, and that scaling laws are holding up better than the world assumed."
        ),
        kind="metric",
        metric="compute_demand_growth_yoy",
        value="100",
        unit="x",
        period="2025-03",
        status="unverified",
        credibility=3,
        companies=["nvidia", "deepseek"],
        products=[],
        milestones=["gtc2025-roadmap"],
        citations=[
            _cite(
                "現(xiàn)在的計算量是去年同期的100倍",
                "compute today is 100 times the same period last year",
                "§02, para 2",
                "jensen-huang",
            ),
            _cite("算力需求100倍增長", "a 100-fold rise in compute demand", "intro, para 2"),
        ],
    ),
    dict(
        key="scaling-law-resilient",
        statement=(
            "Huang responded to DeepSeek by saying everyone had misread the situation and that "
            "scaling laws are more robust than believed."
        ),
        kind="opinion",
        metric="",
        value=None,
        unit="",
        period="2025-03",
        status="unverified",
        credibility=6,
        companies=["nvidia", "deepseek"],
        products=[],
        milestones=[],
        citations=[_cite("Scaling law有更強的韌性", "scaling laws are more resilient", "§02, para 2", "jensen-huang")],
    ),
    dict(
        key="hopper-purchases-2024",
        statement="The four largest US cloud providers together bought 1.3 million Hopper-generation chips in 2024.",
        kind="metric",
        metric="gpu_units_purchased_top4_us_clouds",
        value="1.3",
        unit="M GPUs",
        period="2024",
        status="unverified",
        credibility=3,
        companies=["nvidia"],
        products=["hopper-gpu"],
        milestones=[],
        citations=[
            _cite(
                "美國前四云廠總計采購130萬顆Hopper",
                "the top four US cloud vendors bought 1.3 million Hopper [chips] in total",
                "§02, para 3",
                "jensen-huang",
            )
        ],
    ),
    dict(
        key="blackwell-purchases-2025",
        statement="The same four US cloud providers' purchases jump to 3.6 million Blackwell GPUs in 2025.",
        kind="metric",
        metric="gpu_units_purchased_top4_us_clouds",
        value="3.6",
        unit="M GPUs",
        period="2025",
        status="unverified",
        credibility=3,
        companies=["nvidia"],
        products=["blackwell-gpu"],
        milestones=[],
        citations=[
            _cite("飆升至360萬顆Blackwell GPU", "soared to 3.6 million Blackwell GPUs", "§02, para 3", "jensen-huang")
        ],
    ),
    # ---- Roadmap cadence ----------------------------------------------------
    dict(
        key="yearly-roadmap",
        statement="At GTC 2025 Nvidia committed to launching a new product generation every year for the next three years.",
        kind="plan",
        metric="",
        value=None,
        unit="",
        period="2025-03",
        status="unverified",
        credibility=2,
        companies=["nvidia"],
        products=[],
        milestones=["gtc2025-roadmap", "roadmap-gen-2025", "roadmap-gen-2026", "roadmap-gen-2027"],
        citations=[
            _cite(
                "公布了未來三年的產(chǎn)品路線圖",
                "unveiled the product roadmap for the next three years",
                "intro, para 2",
            ),
            _cite("將每年推出一代產(chǎn)品", "will launch one product generation each year", "intro, para 2"),
        ],
    ),
    dict(
        key="cadence-two-products-per-arch",
        statement=(
            "Nvidia still refreshes its architecture every two years, but each architecture now "
            "yields two product generations instead of one."
        ),
        kind="fact",
        metric="",
        value=None,
        unit="",
        period="2025-03",
        status="unverified",
        credibility=2,
        companies=["nvidia"],
        products=["blackwell-gpu", "blackwell-ultra"],
        milestones=[],
        citations=[
            _cite(
                "兩年更新一代架構(gòu)的節(jié)奏保持不變",
                "the rhythm of a new architecture every two years is unchanged",
                "§01, para 1",
                "haomin",
            ),
            _cite(
                "現(xiàn)在變成了一代架構(gòu)兩代產(chǎn)品",
                "now it has become two product generations per architecture",
                "§01, para 1",
                "haomin",
            ),
        ],
    ),
    dict(
        key="toothpaste-yes",
        statement=(
            "The two products built on one architecture differ little in performance, so "
            "Nvidia is only making small incremental steps ('squeezing toothpaste')."
        ),
        kind="opinion",
        metric="",
        value=None,
        unit="",
        period=None,
        status="disputed",
        credibility=6,
        companies=["nvidia"],
        products=["blackwell-gpu", "blackwell-ultra"],
        milestones=[],
        citations=[
            _cite(
                "同一代架構(gòu)的兩代產(chǎn)品性能提升并不大",
                "two product generations on the same architecture bring little performance gain",
                "§01, para 1",
                "haomin",
            ),
            _cite("英偉達(dá)在擠牙膏", "Nvidia is squeezing toothpaste", "§01, para 1", "haomin"),
        ],
    ),
    dict(
        key="toothpaste-no",
        statement=(
            "Far from holding back, Nvidia is being aggressive, pushing architecture, process "
            "node, packaging and HBM to the limits of what the technology allows."
        ),
        kind="opinion",
        metric="",
        value=None,
        unit="",
        period=None,
        status="disputed",
        credibility=6,
        companies=["nvidia"],
        products=["blackwell-ultra"],
        milestones=[],
        citations=[
            _cite(
                "英偉達(dá)不僅沒有擠牙膏,反而比較激進",
                "Nvidia is not squeezing toothpaste; if anything it is rather aggressive",
                "§01, para 2",
                "xu-lingjie",
            ),
            _cite(
                "從架構(gòu)到制程,再到封裝和HBM",
                "from architecture to process node, to packaging and HBM",
                "§01, para 2",
                "xu-lingjie",
            ),
        ],
    ),
    dict(
        key="expectation-gap",
        statement=(
            "The feeling that Nvidia is holding back reflects inflated expectations, because "
            "late-stage gains near the technical ceiling are inherently small."
        ),
        kind="opinion",
        metric="",
        value=None,
        unit="",
        period=None,
        status="unverified",
        credibility=6,
        companies=["nvidia"],
        products=[],
        milestones=[],
        citations=[
            _cite("要從90分做到95分很難", "getting from 90 points to 95 is very hard", "§01, para 2", "xu-lingjie"),
            _cite(
                "是高預(yù)期和現(xiàn)實之間的差距",
                "it is the gap between high expectations and reality",
                "§01, para 2",
                "xu-lingjie",
            ),
        ],
    ),
    dict(
        key="roadmap-gives-certainty",
        statement=(
            "The near-limit roadmap is meant to give investors and partners certainty, but it "
            "did not lift the stock because the industry had already expected it."
        ),
        kind="opinion",
        metric="",
        value=None,
        unit="",
        period="2025-03",
        status="unverified",
        credibility=6,
        companies=["nvidia"],
        products=[],
        milestones=["gtc2025-roadmap"],
        citations=[
            _cite(
                "貼著技術(shù)的極限給出的產(chǎn)品路線圖",
                "a product roadmap drawn right up against the limits of technology",
                "intro, para 3",
                "xu-lingjie",
            ),
            _cite(
                "因為業(yè)界早有預(yù)期",
                "because the industry had long anticipated it",
                "intro, para 3",
                "xu-lingjie",
            ),
        ],
    ),
    dict(
        key="scale-up-then-out",
        statement=(
            "The roadmap signals that Nvidia will keep scaling up first and scaling out second, "
            "even if it hits problems, and wants partners to move with it."
        ),
        kind="opinion",
        metric="",
        value=None,
        unit="",
        period=None,
        status="unverified",
        credibility=6,
        companies=["nvidia"],
        products=["gb200"],
        milestones=[],
        citations=[_cite("先做好縱向擴展(Scale Up)", "first get scale-up right", "§01, para 3", "xu-lingjie")],
    ),
    dict(
        key="no-gap-for-rivals",
        statement="The yearly release pace shows Huang's unwillingness to leave competitors any opening to overtake Nvidia.",
        kind="opinion",
        metric="",
        value=None,
        unit="",
        period=None,
        status="unverified",
        credibility=6,
        companies=["nvidia", "amd"],
        products=[],
        milestones=[],
        citations=[
            _cite(
                "不希望給對手任何超越的縫隙",
                "does not want to leave rivals any gap to overtake",
                "§01, para 4",
                "haomin",
            )
        ],
    ),
    # ---- Manufacturing and risk ---------------------------------------------
    dict(
        key="amd-acquires-zt",
        statement="In 2024 AMD moved to acquire ZT Systems, a provider of hyperscale computing infrastructure.",
        kind="fact",
        metric="",
        value=None,
        unit="",
        period="2024",
        status="unverified",
        credibility=2,
        companies=["amd", "zt-systems", "nvidia"],
        products=[],
        milestones=["amd-zt-acquisition"],
        citations=[
            _cite(
                "2024年AMD收購超大規(guī)模計算",
                "in 2024 AMD acquired [a] hyperscale computing [solutions supplier]",
                "§01, para 4",
            )
        ],
    ),
    dict(
        key="tsmc-40nm-2009",
        statement=("In 2009 Nvidia's GPUs ran into power and heat problems on TSMC's then most advanced 40nm process."),
        kind="fact",
        metric="",
        value=None,
        unit="",
        period="2009",
        status="unverified",
        credibility=2,
        companies=["nvidia", "tsmc"],
        products=[],
        milestones=[],
        citations=[
            _cite("臺積電最先進的40nm制程", "TSMC's most advanced 40nm process", "§01, para 4"),
            _cite("GPU顯卡功耗和散熱的問題", "GPU card power-consumption and cooling problems", "§01, para 4"),
        ],
    ),
    dict(
        key="gb200-delays",
        statement=(
            "Over the past year GB200 saw repeated delays to volume production and delivery, "
            "revealing yield, interconnect, power and cooling problems in complex systems."
        ),
        kind="fact",
        metric="",
        value=None,
        unit="",
        period="2024",
        status="unverified",
        credibility=2,
        companies=["nvidia"],
        products=["gb200"],
        milestones=["gb200-volume-delay"],
        citations=[
            _cite(
                "經(jīng)歷了多次量產(chǎn)和交付的延期",
                "went through several delays in mass production and delivery",
                "§01, para 3",
            ),
            _cite("良率、互聯(lián)、供電、散熱", "yield, interconnect, power supply, cooling", "§01, para 3"),
        ],
    ),
    dict(
        key="socket-switch",
        statement=(
            "Nvidia will stop soldering GPUs onto boards and move to a pluggable socket design "
            "that makes board repair much cheaper and easier, a change not mentioned in the keynote."
        ),
        kind="plan",
        metric="",
        value=None,
        unit="",
        period="2025",
        status="unverified",
        credibility=3,
        companies=["nvidia"],
        products=["blackwell-ultra"],
        milestones=["bw-ultra-socket-ship"],
        citations=[
            _cite("改為插槽式設(shè)計(Socket)", "switching to a socketed design", "§01, para 5"),
            _cite(
                "這在黃仁勛GTC的演講中并未提及", "this was not mentioned in Jensen Huang's GTC speech", "§01, para 4"
            ),
        ],
    ),
    dict(
        key="socket-efficiency",
        statement="Socketed GPUs improve GPU/CPU production efficiency and give more freedom in PCB design.",
        kind="opinion",
        metric="",
        value=None,
        unit="",
        period=None,
        status="unverified",
        credibility=3,
        companies=["nvidia", "kailidi"],
        products=["blackwell-ultra"],
        milestones=[],
        citations=[
            _cite(
                "生產(chǎn)效率和PCB設(shè)計的靈活性",
                "production efficiency and the flexibility of PCB design",
                "§01, para 5",
                "yang-fei",
            )
        ],
    ),
    dict(
        key="bw-ultra-socket-q3",
        statement="Blackwell Ultra boards with socketed GPUs should appear as early as the third quarter of 2025.",
        kind="forecast",
        metric="",
        value=None,
        unit="",
        period="2025-Q3",
        status="unverified",
        credibility=3,
        companies=["nvidia", "kailidi"],
        products=["blackwell-ultra"],
        milestones=["bw-ultra-socket-ship"],
        citations=[
            _cite(
                "預(yù)計2025年第三季度就會有",
                "expected by as early as the third quarter of 2025",
                "§01, para 5",
                "yang-fei",
            ),
            _cite(
                "Blackwell Ultra GPU采用插槽式設(shè)計的方案",
                "Blackwell Ultra GPU solutions using the socketed design",
                "§01, para 5",
                "yang-fei",
            ),
        ],
    ),
    dict(
        key="domestic-socket-2026",
        statement="Chinese domestic companies will not adopt the socketed approach before next year (2026) at the earliest.",
        kind="forecast",
        metric="",
        value=None,
        unit="",
        period="2026",
        status="unverified",
        credibility=6,
        companies=["kailidi"],
        products=["blackwell-ultra"],
        milestones=["domestic-socket-follow"],
        citations=[
            _cite(
                "國內(nèi)公司跟進這一方案最快要到明年",
                "domestic companies will follow this scheme next year at the earliest",
                "§01, para 5",
                "yang-fei",
            )
        ],
    ),
    # ---- Training moat and the business model --------------------------------
    dict(
        key="training-moat",
        statement=(
            "Nvidia's dominance in AI training currently looks unshakeable, with CUDA and its "
            "GPUs the best fit for the generality training needs."
        ),
        kind="opinion",
        metric="",
        value=None,
        unit="",
        period=None,
        status="unverified",
        credibility=6,
        companies=["nvidia"],
        products=["cuda", "nvlink"],
        milestones=[],
        citations=[
            _cite(
                "英偉達(dá)在AI訓(xùn)練市場的地位目前看起來無可撼動",
                "Nvidia's position in the AI training market currently looks unshakeable",
                "§02, para 1",
            ),
            _cite(
                "英偉達(dá)的CUDA和GPU是最好選擇", "Nvidia's CUDA and GPUs are the best choice", "§02, para 1", "haomin"
            ),
        ],
    ),
    dict(
        key="nvlink-72",
        statement="NVLink already connects 72 GPUs in a single domain.",
        kind="metric",
        metric="nvlink_domain_size",
        value="72",
        unit="GPUs",
        period="2025-03",
        status="unverified",
        credibility=2,
        companies=["nvidia"],
        products=["nvlink", "nvl72"],
        milestones=[],
        citations=[
            _cite(
                "NVLink就已經(jīng)可以實現(xiàn)72張GPU卡互聯(lián)",
                "NVLink could already interconnect 72 GPU cards",
                "§02, para 1",
                "haomin",
            )
        ],
    ),
    dict(
        key="competitors-8-gpus",
        statement="When NVLink reached 72 GPUs, competing interconnects could link only 8 GPUs.",
        kind="metric",
        metric="competitor_interconnect_domain_size",
        value="8",
        unit="GPUs",
        period=None,
        status="unverified",
        credibility=3,
        companies=["nvidia", "amd"],
        products=["nvlink"],
        milestones=[],
        citations=[
            _cite(
                "張GPU卡互聯(lián)的時候,英偉達(dá)的NVLink",
                "[competitors could only link 8] GPU cards, while Nvidia's NVLink... "
                "(the digit 8 and the words before it are garbled in the scraped copy)",
                "§02, para 1",
                "haomin",
            )
        ],
    ),
    dict(
        key="nvlink-144-576",
        statement="NVLink is being extended toward domains of 144 GPUs and then 576 GPUs.",
        kind="forecast",
        metric="",
        value=None,
        unit="",
        period=None,
        status="unverified",
        credibility=3,
        companies=["nvidia"],
        products=["nvlink", "nvswitch"],
        milestones=[],
        citations=[
            _cite(
                "正朝著144個GPU卡、576個GPU卡的方向發(fā)展",
                "is moving toward 144 GPU cards and 576 GPU cards",
                "§02, para 1",
                "haomin",
            )
        ],
    ),
    dict(
        key="modules-boards-systems",
        statement=(
            "Nvidia moved from selling chip modules (V100) to selling only complete boards "
            "(A100) and then whole DGX systems, raising its share of AI server value."
        ),
        kind="fact",
        metric="",
        value=None,
        unit="",
        period=None,
        status="unverified",
        credibility=2,
        companies=["nvidia"],
        products=["v100", "a100", "dgx"],
        milestones=[],
        citations=[
            _cite(
                "英偉達(dá)V100 GPU時還出售芯片模塊",
                "in the V100 GPU era Nvidia still sold chip modules",
                "§02, para 2",
            ),
            _cite(
                "到A100時就只賣包含背板的套卡",
                "by the A100 it sold only board kits including the baseboard",
                "§02, para 2",
            ),
        ],
    ),
    dict(
        key="systems-company",
        statement="Huang has said for years that Nvidia is a systems company rather than a chip company.",
        kind="fact",
        metric="",
        value=None,
        unit="",
        period=None,
        status="unverified",
        credibility=2,
        companies=["nvidia"],
        products=[],
        milestones=[],
        citations=[
            _cite(
                "英偉達(dá)不是芯片公司,而是系統(tǒng)公司",
                "Nvidia is not a chip company but a systems company",
                "§03, para 2",
            )
        ],
    ),
    # ---- The US tech loop and DeepSeek ---------------------------------------
    dict(
        key="ms-invests-openai",
        statement="Microsoft is an investor in OpenAI.",
        kind="fact",
        metric="",
        value=None,
        unit="",
        period=None,
        status="unverified",
        credibility=2,
        companies=["microsoft", "openai"],
        products=[],
        milestones=[],
        citations=[_cite("微軟投資OpenAI", "Microsoft invests in OpenAI", "§02, para 4")],
    ),
    dict(
        key="openai-uses-ms-cloud",
        statement="OpenAI runs on Microsoft's cloud services.",
        kind="fact",
        metric="",
        value=None,
        unit="",
        period=None,
        status="unverified",
        credibility=2,
        companies=["openai", "microsoft"],
        products=[],
        milestones=[],
        citations=[_cite("OpenAI使用微軟的云服務(wù)", "OpenAI uses Microsoft's cloud services", "§02, para 4")],
    ),
    dict(
        key="ms-buys-nvidia",
        statement="Microsoft buys Nvidia AI chips and systems, closing a loop that has supported US tech share prices.",
        kind="fact",
        metric="",
        value=None,
        unit="",
        period=None,
        status="unverified",
        credibility=2,
        companies=["microsoft", "nvidia"],
        products=["dgx"],
        milestones=[],
        citations=[
            _cite(
                "微軟再購買英偉達(dá)的AI芯片和系統(tǒng)",
                "Microsoft in turn buys Nvidia's AI chips and systems",
                "§02, para 4",
            )
        ],
    ),
    dict(
        key="deepseek-breaks-loop",
        statement=(
            "DeepSeek is breaking that self-reinforcing US loop by showing a cheap way to "
            "serve large models, which changes how the industry views pre-training."
        ),
        kind="opinion",
        metric="",
        value=None,
        unit="",
        period="2025",
        status="unverified",
        credibility=6,
        companies=["deepseek", "microsoft", "openai", "nvidia"],
        products=[],
        milestones=[],
        citations=[
            _cite("這個循環(huán)正在DeepSeek打破", "this cycle is being broken by DeepSeek", "§02, para 4"),
            _cite(
                "DeepSeek展現(xiàn)了高性價比支持大模型的方式",
                "DeepSeek showed a cost-effective way to support large models",
                "§02, para 4",
                "xu-lingjie",
            ),
        ],
    ),
    dict(
        key="giants-own-chips",
        statement="Some internet giants may back their own chip projects and reduce capital spending.",
        kind="forecast",
        metric="",
        value=None,
        unit="",
        period=None,
        status="unverified",
        credibility=6,
        companies=["nvidia", "deepseek"],
        products=[],
        milestones=[],
        citations=[
            _cite(
                "一些互聯(lián)網(wǎng)巨頭可能會支持自家的芯片項目",
                "some internet giants may back their own chip projects",
                "§02, para 4",
                "xu-lingjie",
            )
        ],
    ),
    dict(
        key="capex-not-cut-soon",
        statement="The big tech companies will not cut their capital spending right away.",
        kind="forecast",
        metric="",
        value=None,
        unit="",
        period=None,
        status="unverified",
        credibility=6,
        companies=["microsoft"],
        products=[],
        milestones=[],
        citations=[
            _cite(
                "科技巨頭不會馬上調(diào)低資本支出",
                "the tech giants won't lower capital spending immediately",
                "§02, para 4",
                "xu-lingjie",
            )
        ],
    ),
    # ---- Inference -----------------------------------------------------------
    dict(
        key="inference-no-clear-edge",
        statement=(
            "Nvidia is the clear pick for pre-training but lacks a comparable edge in inference, "
            "especially if the world's models converge on about ten."
        ),
        kind="opinion",
        metric="",
        value=None,
        unit="",
        period=None,
        status="unverified",
        credibility=6,
        companies=["nvidia"],
        products=[],
        milestones=[],
        citations=[
            _cite(
                "AI推理英偉達(dá)就沒有如此明顯的優(yōu)勢",
                "in AI inference Nvidia has no such obvious advantage",
                "§02, para 4",
                "haomin",
            ),
            _cite("收斂到10個左右", "converge to around ten", "§02, para 4", "haomin"),
        ],
    ),
    dict(
        key="dsa-beats-gpu",
        statement=(
            "Once algorithms stabilise, domain-specific chips could beat GPUs at AI inference "
            "(the article writes 'DAS', presumably meaning DSA)."
        ),
        kind="opinion",
        metric="",
        value=None,
        unit="",
        period=None,
        status="unverified",
        credibility=6,
        companies=[],
        products=[],
        milestones=[],
        citations=[
            _cite(
                "DAS芯片做AI推理會比GPU性能更強",
                "DAS [DSA] chips would outperform GPUs at AI inference",
                "§02, para 5",
                "junjie",
            )
        ],
    ),
    dict(
        key="inference-favours-china",
        statement=(
            "The shift toward inference and applications favours Chinese domestic chips, "
            "because China is a huge application market."
        ),
        kind="opinion",
        metric="",
        value=None,
        unit="",
        period=None,
        status="unverified",
        credibility=6,
        companies=[],
        products=[],
        milestones=[],
        citations=[
            _cite(
                "利好國產(chǎn)芯片,因為國內(nèi)是巨大的應(yīng)用市場",
                "good for domestic chips, because China is a huge application market",
                "§02, para 5",
                "bowen",
            )
        ],
    ),
    dict(
        key="csp-not-first-choice",
        statement=(
            "Because in-house chips can give cloud providers better inference cost-performance, "
            "Nvidia GPUs may stop being their first choice."
        ),
        kind="opinion",
        metric="",
        value=None,
        unit="",
        period=None,
        status="unverified",
        credibility=6,
        companies=["nvidia"],
        products=[],
        milestones=[],
        citations=[
            _cite(
                "此時英偉達(dá)GPU將不是云服務(wù)提供商們的首選",
                "then Nvidia GPUs will no longer be the cloud providers' first choice",
                "§02, para 5",
                "haomin",
            )
        ],
    ),
    dict(
        key="cloud-inference-40pct",
        statement=(
            "According to Nvidia's fiscal 2024 fourth-quarter results and related disclosures, "
            "cloud inference made up about 40% of its data-center business."
        ),
        kind="metric",
        metric="inference_share_of_datacenter_revenue",
        value="40",
        unit="%",
        period="2023-Q4",
        status="unverified",
        credibility=3,
        companies=["nvidia"],
        products=[],
        milestones=[],
        citations=[
            _cite("英偉達(dá)2024財年第四季度財報", "Nvidia's fiscal 2024 fourth-quarter results", "§02, para 5"),
            _cite(
                "云端推理收入占其數(shù)據(jù)中心業(yè)務(wù)的40%",
                "cloud inference revenue was 40% of its data-center business",
                "§02, para 5",
            ),
        ],
    ),
    dict(
        key="inference-90pct",
        statement="If AI applications truly take off, inference should make up about 90% of Nvidia's revenue.",
        kind="forecast",
        metric="",
        value="90",
        unit="%",
        period=None,
        status="unverified",
        credibility=6,
        companies=["nvidia"],
        products=[],
        milestones=[],
        citations=[
            _cite(
                "推理業(yè)務(wù)應(yīng)該占到收入的90%",
                "inference business should account for 90% of revenue",
                "§02, para 5",
                "junjie",
            )
        ],
    ),
    dict(
        key="price-per-token-race",
        statement=(
            "Customers care most about inference cost-performance, so if one player cuts the "
            "price per token, cloud rivals must follow or lose share."
        ),
        kind="opinion",
        metric="",
        value=None,
        unit="",
        period=None,
        status="unverified",
        credibility=6,
        companies=[],
        products=[],
        milestones=[],
        citations=[
            _cite(
                "客戶最關(guān)心的推理的性價比",
                "what customers care about most is inference cost-performance",
                "§02, para 6",
                "haomin",
            )
        ],
    ),
    # ---- Dynamo and the 40x claim --------------------------------------------
    dict(
        key="dynamo-launch",
        statement="Nvidia launched Dynamo, a distributed inference-serving library, at GTC 2025.",
        kind="fact",
        metric="",
        value=None,
        unit="",
        period="2025-03",
        status="unverified",
        credibility=2,
        companies=["nvidia"],
        products=["dynamo"],
        milestones=["dynamo-announce"],
        citations=[
            _cite(
                "推出了分布式推理服務(wù)庫Dynamo",
                "launched the distributed inference-serving library Dynamo",
                "§02, para 6",
            )
        ],
    ),
    dict(
        key="dynamo-40x",
        statement="With Dynamo, Nvidia says Blackwell GPUs deliver 40 times the inference performance of Hopper GPUs.",
        kind="metric",
        metric="inference_speedup_vs_hopper",
        value="40",
        unit="x",
        period="2025-03",
        status="unverified",
        credibility=3,
        companies=["nvidia"],
        products=["dynamo", "blackwell-gpu", "hopper-gpu"],
        milestones=["dynamo-announce"],
        citations=[_cite("相比Hopper GPU 40倍的性能提升", "a 40x performance gain over Hopper GPUs", "§02, para 6")],
    ),
    dict(
        key="speedup-2-5x-generation",
        statement="About 2.5x of the 40x gain comes from the chip-generation improvement from Hopper to Blackwell.",
        kind="metric",
        metric="inference_speedup_from_chip_generation",
        value="2.5",
        unit="x",
        period="2025-03",
        status="unverified",
        credibility=3,
        companies=["nvidia"],
        products=["blackwell-gpu", "hopper-gpu"],
        milestones=[],
        citations=[
            _cite(
                "2.5倍來自芯片的代際性能提升",
                "2.5x comes from the generational chip improvement",
                "§02, para 7",
                "xu-lingjie",
            )
        ],
    ),
    dict(
        key="speedup-1-8x-fp4",
        statement="About 1.8x of the gain comes from moving the data type from FP8 to FP4.",
        kind="metric",
        metric="inference_speedup_from_fp4",
        value="1.8",
        unit="x",
        period="2025-03",
        status="unverified",
        credibility=3,
        companies=["nvidia"],
        products=["blackwell-gpu"],
        milestones=[],
        citations=[
            _cite(
                "1.8提升來自數(shù)據(jù)類型從FP8",
                "the 1.8 [x] gain comes from the data type going from FP8 [to FP4]",
                "§02, para 7",
                "xu-lingjie",
            )
        ],
    ),
    dict(
        key="speedup-5x-chip-and-datatype",
        statement="Together, the generation jump and the FP4 switch account for roughly 5x.",
        kind="metric",
        metric="inference_speedup_from_chip_and_fp4",
        value="5",
        unit="x",
        period="2025-03",
        status="unverified",
        credibility=3,
        companies=["nvidia"],
        products=["blackwell-gpu"],
        milestones=[],
        citations=[
            _cite("兩項提升性能提升大約5倍", "the two improvements together give about 5x", "§02, para 7", "xu-lingjie")
        ],
    ),
    dict(
        key="speedup-8x-nvswitch",
        statement=(
            "The remaining roughly 8x comes from NVSwitch high-speed interconnect and distributed "
            "scheduling strategies that search a larger space."
        ),
        kind="metric",
        metric="inference_speedup_from_nvswitch_and_scheduling",
        value="8",
        unit="x",
        period="2025-03",
        status="unverified",
        credibility=3,
        companies=["nvidia"],
        products=["nvswitch", "dynamo", "nvl72"],
        milestones=[],
        citations=[
            _cite(
                "另外8倍的性能提升來自NVSwitch高速互連",
                "a further 8x gain comes from NVSwitch high-speed interconnect",
                "§02, para 7",
                "xu-lingjie",
            )
        ],
    ),
    dict(
        key="nvl72-tuning-room",
        statement=(
            "A gain this large shows the NVL72 rack has wide room for hardware-software tuning, "
            "which gives companies building differentiated inference clusters on Nvidia GPUs an opening."
        ),
        kind="opinion",
        metric="",
        value=None,
        unit="",
        period=None,
        status="unverified",
        credibility=6,
        companies=["nvidia"],
        products=["nvl72"],
        milestones=[],
        citations=[
            _cite(
                "意味著NVL72 GPU的軟硬件優(yōu)化的空間很大",
                "means there is a lot of room for hardware and software optimisation on NVL72",
                "§02, para 7",
                "xu-lingjie",
            )
        ],
    ),
    dict(
        key="dynamo-buyers-enterprise",
        statement=(
            "Dynamo's main buyers will be enterprises rather than internet giants, which "
            "prefer to build their own optimisation tooling."
        ),
        kind="opinion",
        metric="",
        value=None,
        unit="",
        period=None,
        status="unverified",
        credibility=6,
        companies=["nvidia"],
        products=["dynamo"],
        milestones=[],
        citations=[
            _cite(
                "買單Dynamo的更多會是企業(yè)客戶",
                "those paying for Dynamo will mostly be enterprise customers",
                "§02, para 7",
                "haomin",
            ),
            _cite(
                "更傾向于自己構(gòu)建一套優(yōu)化工具",
                "prefer to build their own set of optimisation tools",
                "§02, para 7",
                "haomin",
            ),
        ],
    ),
    dict(
        key="dgx-csp-order-size",
        statement="A DGX cluster order from a large cloud provider can be worth several million USD.",
        kind="metric",
        metric="order_value_csp_dgx_cluster",
        value="1",
        unit="M USD",
        period=None,
        status="unverified",
        credibility=6,
        companies=["nvidia"],
        products=["dgx"],
        milestones=[],
        citations=[
            _cite(
                "一個集群的訂單金額高達(dá)數(shù)百萬美元",
                "a single cluster order runs to several million US dollars",
                "§02, para 7",
            )
        ],
    ),
    dict(
        key="enterprise-order-size",
        statement="An enterprise customer's order may be worth only a few hundred thousand USD.",
        kind="metric",
        metric="order_value_enterprise",
        value="0.1",
        unit="M USD",
        period=None,
        status="unverified",
        credibility=6,
        companies=["nvidia"],
        products=["dgx", "dynamo"],
        milestones=[],
        citations=[
            _cite(
                "一個訂單的金額可能只有幾十萬美金",
                "one order may be worth only a few hundred thousand dollars",
                "§02, para 7",
            )
        ],
    ),
    dict(
        key="enterprise-stable-base",
        statement=(
            "The enterprise market grows more slowly than cloud business but is also slower to "
            "decline, so it could become a stable core for Nvidia."
        ),
        kind="opinion",
        metric="",
        value=None,
        unit="",
        period=None,
        status="unverified",
        credibility=6,
        companies=["nvidia"],
        products=["dynamo"],
        milestones=[],
        citations=[_cite("這個市場相對比較穩(wěn)定", "this market is relatively stable", "§02, para 7", "haomin")],
    ),
    dict(
        key="leadership-may-change",
        statement=(
            "Nvidia will stay in the lead for the next few years, but its leadership may erode "
            "over the long run as competition intensifies."
        ),
        kind="forecast",
        metric="",
        value=None,
        unit="",
        period=None,
        status="unverified",
        credibility=6,
        companies=["nvidia"],
        products=[],
        milestones=[],
        citations=[
            _cite(
                "英偉達(dá)在未來幾年仍將保持領(lǐng)導(dǎo)地位",
                "Nvidia will keep its leading position in the coming years",
                "§02, para 7",
            ),
            _cite("其領(lǐng)導(dǎo)地位可能會發(fā)生變化", "its leadership position may change", "§02, para 7"),
        ],
    ),
    # ---- AI infrastructure ---------------------------------------------------
    dict(
        key="ai-factory-stack",
        statement=(
            "Nvidia frames DGX (yearly GPU platforms plus Spectrum-X and Quantum-X photonic "
            "switching) as AI-factory hardware, Dynamo as its operating system, and AI-Q as "
            "the agent-deployment toolkit."
        ),
        kind="fact",
        metric="",
        value=None,
        unit="",
        period="2025-03",
        status="unverified",
        credibility=2,
        companies=["nvidia"],
        products=["dgx", "dynamo", "ai-q", "spectrum-x", "quantum-x"],
        milestones=[],
        citations=[
            _cite(
                "Spectrum-X和Quantum-X硅光網(wǎng)絡(luò)交換",
                "Spectrum-X and Quantum-X silicon-photonics network switching",
                "§03, para 2",
            ),
            _cite("Dynamo是AI 工廠的操作系統(tǒng)", "Dynamo is the operating system of the AI factory", "§03, para 2"),
        ],
    ),
    dict(
        key="tokens-basic-unit",
        statement=(
            "As AI moves from simple inference to reasoning and agents, token counts rise, and "
            "tokens become the basic unit of AI output."
        ),
        kind="opinion",
        metric="",
        value=None,
        unit="",
        period=None,
        status="unverified",
        credibility=6,
        companies=["nvidia"],
        products=[],
        milestones=[],
        citations=[_cite("Token將成為AI的基本單元", "tokens will become the basic unit of AI", "§03, para 1")],
    ),
    dict(
        key="infra-bet-huge",
        statement=(
            "Turning from a chip company into an infrastructure company is a clear but very hard "
            "strategy and a huge bet, though success would build an extremely high barrier."
        ),
        kind="opinion",
        metric="",
        value=None,
        unit="",
        period=None,
        status="unverified",
        credibility=6,
        companies=["nvidia"],
        products=[],
        milestones=[],
        citations=[
            _cite("這是一個巨大的賭注", "this is a huge wager", "§03, para 2", "xu-lingjie"),
            _cite(
                "英偉達(dá)的戰(zhàn)略方向很明確,但落地難度很大",
                "Nvidia's strategic direction is clear, but executing it is very hard",
                "§03, para 2",
                "xu-lingjie",
            ),
        ],
    ),
]

# ---------------------------------------------------------------------------
# Claim-to-claim relations
# ---------------------------------------------------------------------------

CLAIM_RELATIONS = [
    dict(
        from_claim="toothpaste-yes",
        to_claim="toothpaste-no",
        kind="contradicts",
        note="Haomin sees only small steps within an architecture; Xu Lingjie sees an aggressive push at the limits.",
    ),
    dict(
        from_claim="expectation-gap",
        to_claim="toothpaste-no",
        kind="supports",
        note="Xu explains the 'toothpaste' impression as a gap between expectations and reality.",
    ),
    dict(
        from_claim="cadence-two-products-per-arch",
        to_claim="toothpaste-yes",
        kind="supports",
        note="Two products per architecture is the premise of the 'small steps' criticism.",
    ),
    dict(
        from_claim="speedup-2-5x-generation",
        to_claim="dynamo-40x",
        kind="breaks_down",
        note="Chip-generation share of the 40x.",
    ),
    dict(
        from_claim="speedup-1-8x-fp4",
        to_claim="dynamo-40x",
        kind="breaks_down",
        note="FP8 to FP4 data-type share of the 40x.",
    ),
    dict(
        from_claim="speedup-8x-nvswitch",
        to_claim="dynamo-40x",
        kind="breaks_down",
        note="NVSwitch and distributed-scheduling share of the 40x (about 5 x 8 = 40).",
    ),
    dict(
        from_claim="speedup-5x-chip-and-datatype",
        to_claim="dynamo-40x",
        kind="breaks_down",
        note="Combined chip and data-type share (about 5x) of the 40x.",
    ),
    dict(
        from_claim="speedup-2-5x-generation",
        to_claim="speedup-5x-chip-and-datatype",
        kind="breaks_down",
        note="2.5 x 1.8 = 4.5, which the analyst rounds to about 5.",
    ),
    dict(
        from_claim="speedup-1-8x-fp4",
        to_claim="speedup-5x-chip-and-datatype",
        kind="breaks_down",
        note="2.5 x 1.8 = 4.5, which the analyst rounds to about 5.",
    ),
    dict(
        from_claim="socket-switch",
        to_claim="bw-ultra-socket-q3",
        kind="supports",
        note="The move to sockets is what the Q3 2025 Blackwell Ultra forecast rests on.",
    ),
    dict(
        from_claim="socket-efficiency",
        to_claim="socket-switch",
        kind="supports",
        note="Manufacturing and PCB-design benefits give a rationale for the change.",
    ),
    dict(
        from_claim="nvlink-72",
        to_claim="training-moat",
        kind="supports",
        note="A 72-GPU NVLink domain is part of Nvidia's training advantage.",
    ),
    dict(
        from_claim="competitors-8-gpus",
        to_claim="training-moat",
        kind="supports",
        note="Rivals' 8-GPU interconnect limit widens the gap.",
    ),
    dict(
        from_claim="nvlink-144-576",
        to_claim="training-moat",
        kind="supports",
        note="Planned larger NVLink domains would deepen the moat.",
    ),
    dict(
        from_claim="dsa-beats-gpu",
        to_claim="inference-no-clear-edge",
        kind="supports",
        note="If fixed-function chips win at inference, Nvidia's edge there narrows.",
    ),
    dict(
        from_claim="inference-no-clear-edge",
        to_claim="csp-not-first-choice",
        kind="supports",
        note="A weaker inference edge is why clouds may favour in-house chips.",
    ),
    dict(
        from_claim="deepseek-breaks-loop",
        to_claim="giants-own-chips",
        kind="supports",
        note="DeepSeek's cheap models are the trigger for rethinking capex and own chips.",
    ),
    dict(
        from_claim="nvda-rev-growth-2024",
        to_claim="super-growth-cycle",
        kind="supports",
        note="114% growth is evidence of the hyper-growth cycle.",
    ),
    dict(
        from_claim="blackwell-purchases-2025",
        to_claim="super-growth-cycle",
        kind="supports",
        note="Keynote purchase volumes nearly triple from 2024 to 2025.",
    ),
]
