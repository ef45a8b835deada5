"""The words the generated wiki is written in: AI-infrastructure companies, products, people, publishers,
statements, quotes and archived text in English, simplified and traditional Chinese.

Shared by the data generator (bench/generate.py) and the search benchmark, so both write the same
language: a few named companies get most claims, names come with their Chinese aliases, and
generic sentences follow a Zipf vocabulary around the topical ones.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

BODY_SENTENCES = [
    "The figure comes from the prepared remarks, not the Q&A, so it is the company's own wording.",
    "See [[{co}]] for the earlier guidance and how it changed over the year.",
    "Two later reports contradict the timing; they are linked as related claims.",
    "The unit counts are estimates and should be read as an order of magnitude.",
    "**Caveat:** the translation of the original Chinese is ours.",
    "- packaging capacity\n- HBM allocation\n- power and cooling at the data center",
]

# name, slug, aliases (English, simplified, traditional), weight of the claims about it
NAMED_COMPANIES = [
    ("Nvidia", "nvidia", ["NVIDIA", "英伟达", "英偉達", "輝達"], 200),
    ("AMD", "amd", ["Advanced Micro Devices", "超威", "超微半导体", "超微"], 90),
    ("Intel", "intel", ["英特尔", "英特爾"], 50),
    ("TSMC", "tsmc", ["台积电", "台積電"], 60),
    ("Huawei", "huawei", ["华为", "華為", "HiSilicon"], 50),
    ("Google", "google", ["Alphabet", "谷歌"], 40),
    ("Microsoft", "microsoft", ["微软", "微軟"], 35),
    ("Amazon", "amazon", ["AWS", "Annapurna Labs", "亚马逊", "亞馬遜"], 35),
    ("Meta", "meta", ["Facebook"], 30),
    ("OpenAI", "openai", [], 25),
    ("Broadcom", "broadcom", ["博通"], 20),
    ("Cambricon", "cambricon", ["寒武纪", "寒武紀"], 15),
    ("SK hynix", "sk-hynix", ["SK海力士"], 25),
    ("Samsung", "samsung", ["三星"], 20),
    ("Micron", "micron", ["美光"], 15),
    ("Alibaba", "alibaba", ["阿里巴巴", "T-Head", "平头哥"], 15),
    ("Baidu", "baidu", ["百度", "Kunlunxin", "昆仑芯"], 10),
    ("Tencent", "tencent", ["腾讯", "騰訊"], 10),
    ("ByteDance", "bytedance", ["字节跳动"], 10),
    ("Supermicro", "supermicro", ["美超微"], 10),
    ("Foxconn", "foxconn", ["鸿海", "鴻海", "Hon Hai"], 15),
    ("Quanta", "quanta", ["广达", "廣達"], 10),
    ("CoreWeave", "coreweave", [], 10),
    ("Oracle", "oracle", ["甲骨文"], 10),
    ("xAI", "xai", [], 8),
    ("DeepSeek", "deepseek", ["深度求索"], 10),
    ("Moore Threads", "moore-threads", ["摩尔线程", "摩爾線程"], 5),
    ("Biren", "biren", ["壁仞科技"], 5),
    ("SMIC", "smic", ["中芯国际", "中芯國際"], 8),
    ("Cerebras", "cerebras", [], 5),
    ("Groq", "groq", [], 5),
    ("Tenstorrent", "tenstorrent", [], 4),
    ("Marvell", "marvell", ["迈威尔"], 6),
    ("Arm", "arm", ["安谋"], 6),
    ("Qualcomm", "qualcomm", ["高通"], 5),
]
NAMED_ARCHITECTURES = {
    "nvidia": ["Hopper", "Blackwell", "Blackwell Ultra", "Rubin", "Rubin Ultra", "Feynman", "Grace"],
    "amd": ["CDNA 3", "CDNA 4", "CDNA Next", "Zen 5", "Zen 6"],
    "intel": ["Gaudi", "Falcon Shores", "Granite Rapids"],
    "huawei": ["Da Vinci"],
    "google": ["TPU v5", "Trillium", "Ironwood"],
    "amazon": ["Trainium", "Inferentia"],
    "cambricon": ["MLUarch03"],
}
NAMED_PRODUCTS = {
    "nvidia": [
        ("H100", "Hopper"), ("H200", "Hopper"), ("H20", "Hopper"), ("B200", "Blackwell"), ("B300", "Blackwell Ultra"),
        ("GB200 NVL72", "Blackwell"), ("GB300 NVL72", "Blackwell Ultra"), ("GB200", "Blackwell"),
        ("Blackwell Ultra GPU", "Blackwell Ultra"), ("GH200 Grace Hopper", "Hopper"), ("Vera Rubin NVL144", "Rubin"),
        ("Rubin CPX", "Rubin"), ("Spectrum-X", None), ("NVLink Switch", None), ("DGX B200", "Blackwell"),
        ("B30A", "Blackwell"), ("RTX Pro 6000", "Blackwell"),
    ],
    "amd": [
        ("MI300X", "CDNA 3"), ("MI325X", "CDNA 3"), ("MI355X", "CDNA 4"), ("MI350X", "CDNA 4"), ("MI400", "CDNA Next"),
        ("MI300A", "CDNA 3"), ("EPYC Turin", "Zen 5"), ("EPYC Venice", "Zen 6"), ("Helios rack", "CDNA Next"),
    ],
    "intel": [("Gaudi 3", "Gaudi"), ("Xeon 6", "Granite Rapids"), ("Jaguar Shores", None), ("Crescent Island", None)],
    "huawei": [("Ascend 910B", "Da Vinci"), ("Ascend 910C", "Da Vinci"), ("Ascend 920", "Da Vinci"),
               ("CloudMatrix 384", "Da Vinci")],
    "google": [("TPU v5p", "TPU v5"), ("TPU v6e", "Trillium"), ("TPU v7 Ironwood", "Ironwood")],
    "amazon": [("Trainium2", "Trainium"), ("Trainium3", "Trainium"), ("Inferentia2", "Inferentia")],
    "microsoft": [("Maia 100", None), ("Maia 200", None), ("Cobalt 100", None)],
    "meta": [("MTIA v2", None)],
    "cambricon": [("MLU370", "MLUarch03"), ("Siyuan 590", "MLUarch03")],
    "broadcom": [("Tomahawk 6", None), ("Jericho3-AI", None)],
    "sk-hynix": [("HBM3E 12-high", None), ("HBM4", None)],
    "samsung": [("HBM3E", None), ("HBM4 samples", None)],
    "micron": [("HBM3E 8-high", None)],
}  # fmt: skip
NAMED_PEOPLE = [
    ("Jensen Huang", ["黄仁勋", "黃仁勳"], "CEO", "nvidia"),
    ("Lisa Su", ["苏姿丰", "蘇姿豐"], "CEO", "amd"),
    ("Colette Kress", [], "CFO", "nvidia"),
    ("Lip-Bu Tan", ["陈立武", "陳立武"], "CEO", "intel"),
    ("C.C. Wei", ["魏哲家"], "CEO", "tsmc"),
    ("Eric Xu", ["徐直军", "徐直軍"], "Rotating chairman", "huawei"),
    ("Dylan Patel", [], "analyst", None),
    ("Ming-Chi Kuo", ["郭明錤"], "analyst", None),
]
SYLLABLES = [
    "Ax",
    "Bel",
    "Cor",
    "Dyn",
    "El",
    "Fal",
    "Gal",
    "Hel",
    "Ion",
    "Jun",
    "Kor",
    "Lum",
    "Mer",
    "Nex",
    "Orb",
    "Pra",
    "Qua",
    "Ryn",
    "Syn",
    "Tor",
    "Ul",
    "Vex",
    "Wav",
    "Xen",
    "Yot",
    "Zeph",
    "Cal",
    "Dra",
    "Fen",
    "Mor",
]
ENDINGS = ["ion", "ara", "ix", "on", "ia", "eon", "tek", "ora", "yx", "ant", "is", "um"]
COMPANY_SUFFIXES = ["Semiconductor", "Systems", "Compute", "Silicon", "Labs", "Networks", "Cloud", "AI", "Micro",
                    "Technologies", "Data", "Photonics"]  # fmt: skip
# Characters for made-up Chinese names: none of them forms a pair the queries look for.
ZH_NAME_CHARS = "安博辰创鼎峰光海恒宏华嘉金景凯蓝朗联明南启锐瑞盛天拓威星芯信耀云泽智众卓"
ZH_NAME_SUFFIXES = ["科技", "半导体", "智能", "微电子", "电子", "云计算"]
SURNAMES = ["Smith", "Lee", "Chen", "Huang", "Su", "Park", "Wang", "Kim", "Garcia", "Patel", "Tanaka", "Müller"]
GIVEN = ["Alex", "Sam", "Jordan", "Lisa", "Pat", "Kim", "Wei", "Ming", "Hiro", "Ana", "José", "Priya", "Tom"]
ZH_SURNAMES = "王李张刘陈杨黄赵周吴徐孙马朱胡郭林何高罗"
ZH_GIVEN = "伟芳娜敏静强磊军洋勇艳杰娟涛明超秀霞平刚"
ROLES = ["CEO", "CFO", "CTO", "analyst", "supply-chain source", "VP of data center", "product manager", "investor"]
PUBLISHERS_EN = [
    "Reuters",
    "Bloomberg",
    "The Information",
    "SemiAnalysis",
    "EE Times",
    "Tom's Hardware",
    "Nikkei Asia",
    "Financial Times",
    "The Register",
    "ServeTheHome",
    "Company filing",
    "Company blog",
]
PUBLISHERS_HANS = ["财新", "36氪", "IT之家", "集微网", "第一财经", "界面新闻"]
PUBLISHERS_HANT = ["經濟日報", "工商時報", "DigiTimes 電子時報", "科技新報", "鉅亨網"]

PERIODS_EN = ["Q1 2025", "Q2 2025", "Q3 2025", "Q4 2025", "H1 2026", "H2 2026", "2026", "2027", "March 2026",
              "the second half of 2026", "early 2027"]  # fmt: skip
PERIODS_HANS = ["2025年第一季度", "2025年第三季度", "2026年上半年", "2026年下半年", "明年", "今年年底", "2027年"]
PERIODS_HANT = ["2025年第一季", "2025年第三季", "2026年上半年", "2026年下半年", "明年", "今年底", "2027年"]

STATEMENTS_EN = [
    "{co} said its {prod} accelerators will enter volume production in {period}",
    "{co} expects data-center revenue of about {num} bn USD in {period}, driven by demand for {prod} systems "
    "from cloud providers",
    "Supply-chain sources say {co} cut {prod} orders for {period} by roughly {num} percent because CoWoS "
    "packaging capacity is still the bottleneck",
    "{co} will ship {prod} to at least {num} customers in {period}, according to two people familiar with the plans",
    "Analysts estimate {co} sold {num} thousand {prod} units in {period}, most of them to hyperscalers building "
    "training clusters",
    "{co} has taped out {prod} on a 3 nm process and plans first samples in {period}",
    "{co} priced {prod} at about {num} thousand USD per unit, below the comparable Nvidia part",
    "{co} says {prod} cuts inference cost per token by {num} percent compared with the previous generation",
    "{co} moved {prod} to a new socket, so existing boards cannot be upgraded",
    "The {arch} architecture from {co} doubles HBM capacity per package, to {num} GB of HBM3E",
    "{co} is building a training cluster of {num} thousand {prod} in its largest data center",
    "{co} signed a multi-year cloud contract worth {num} bn USD for {prod} capacity",
    "{co} reallocated HBM supply from {prod} to its next product, delaying shipments to {period}",
    "Blackwell Ultra systems from Nvidia will replace {prod} in the inference fleet of {co} by {period}",
    "{co} told partners that {prod} keeps the same socket as its predecessor",
    "{co} expects inference to make up {num} percent of its accelerator demand in {period}",
    "Power limits at the data center delay the {prod} deployment of {co} to {period}",
    "{co} plans to rent {prod} instances in its cloud at {num} USD per hour",
    "{co} booked {num} bn USD of orders for {arch} systems, mostly GB200 racks",
    "{co} is qualifying HBM4 from SK hynix and Samsung for {prod}, with volume in {period}",
]
CLAUSES_EN = [
    "", "", "", ", while margins are expected to narrow slightly",
    ", though the company declined to confirm the figures",
    ", as competition from custom ASICs grows", ", with HBM supply remaining tight through the year",
    ", and rack-scale systems account for most of the volume", ", according to a note published by the research firm",
    ", as the cost of inference keeps falling", ", and liquid cooling becomes standard in new data centers",
    ", with SK hynix as the main HBM supplier", ", as Blackwell ramps faster than Hopper did",
    ", and the socket change forces new motherboards", ", as cloud providers build their own chips",
    ", while training clusters keep growing past 100,000 GPUs", ", as Nvidia keeps most of the market",
]  # fmt: skip
STATEMENTS_HANS = [
    "{co}表示，其{prod}加速器将于{period}进入量产",
    "据供应链人士透露，{co}已将{period}的{prod}订单削减约{num}%，主要原因是先进封装产能仍然紧张",
    "{co}预计{period}数据中心业务收入约为{num}亿美元，增长主要来自云服务商对{prod}系统的需求",
    "多位知情人士称，{co}计划在{period}向至少{num}家客户交付{prod}",
    "{co}正在建设由{num}万颗{prod}组成的训练集群",
    "{co}称{prod}的推理成本比上一代降低{num}%",
    "{co}推出基于{prod}的推理服务，每百万词元收费{num}元",
    "英伟达{prod}在中国市场的出货量预计在{period}达到{num}万片",
    "{co}的{prod}采用新的插槽设计，无法兼容旧主板",
    "{co}已获得{num}亿元的云计算订单，用于部署{prod}",
    "高带宽内存供应紧张，{co}的{prod}交付推迟至{period}",
    "{co}的{arch}架构将每个封装的高带宽内存容量提升至{num}GB",
]
CLAUSES_HANS = ["", "", "，但公司未予置评", "，高带宽内存供应依然紧张", "，定制芯片的竞争正在加剧",
                "，整机柜系统占出货量的大部分", "，推理需求增长快于训练需求", "，数据中心电力供应成为瓶颈",
                "，云服务商纷纷自研芯片", "，分析师认为价格仍有下调空间"]  # fmt: skip
STATEMENTS_HANT = [
    "{co}表示，{prod}將於{period}進入量產",
    "供應鏈業者透露，{co}已將{period}的{prod}訂單削減約{num}%，主因是CoWoS先進封裝產能吃緊",
    "{co}預估{period}資料中心營收約{num}億美元，成長動能來自雲端服務商對{prod}的需求",
    "輝達{prod}出貨量預計在{period}達到{num}萬片",
    "{co}正在打造由{num}萬顆{prod}組成的訓練叢集",
    "{co}指出，{prod}的推理成本較前一代降低{num}%",
    "{co}推出以{prod}為基礎的推理服務，每百萬詞元收費{num}元",
    "法人估計，英偉達今年在台積電的先進製程投片量將增加{num}%",
    "{co}的{prod}改用新插槽，舊主機板無法升級",
]
CLAUSES_HANT = ["", "", "，但公司不予評論", "，高頻寬記憶體供應持續吃緊", "，客製化晶片競爭加劇",
                "，伺服器代工廠營收同步成長", "，推理需求成長快於訓練", "，資料中心電力成為瓶頸"]  # fmt: skip
QUOTES_EN = [
    "We are seeing incredible demand for {prod}, and supply will remain tight through {period}.",
    "Volume production of {prod} starts in {period}; customers are already qualifying systems.",
    "Our {prod} roadmap is on track and we will talk about the next generation at the event.",
    "Gross margin came in at {num} percent, above the outlook we gave last quarter.",
    "We shipped more than {num} thousand units this quarter, the most in our history.",
    "Inference is now the larger part of the workload, and the cost per token is what customers ask about.",
    "HBM supply is the gating factor for the second half; we have secured what we need for {prod}.",
    "The new socket lets customers mix CPUs and accelerators on one board.",
    "Every major cloud has deployed {prod}, and the data-center build-out is accelerating.",
    "Training clusters of a hundred thousand GPUs are becoming common; the next ones will be ten times larger.",
]
QUOTES_HANS = [
    "{prod}的需求非常强劲，{period}之前供应都会比较紧张。",
    "我们的{prod}将在{period}量产，客户已经在做系统验证。",
    "本季度出货量超过{num}千片，创历史新高。",
    "推理服务的需求已经超过训练，客户最关心的是每个词元的成本。",
    "高带宽内存仍然是下半年出货的主要瓶颈。",
    "我们的训练集群规模已经达到{num}万张加速卡。",
]
QUOTES_HANT = [
    "{prod}需求非常強勁，{period}之前供應都會相當吃緊。",
    "我們的{prod}將在{period}量產，客戶已經在做系統驗證。",
    "本季出貨量超過{num}千片，創歷史新高。",
    "推理需求已經超越訓練，客戶最在意的是每個詞元的成本。",
    "輝達的新平台將帶動伺服器代工廠營收成長。",
]
SNAPSHOT_EN = [
    "The company reported revenue for the quarter ended in January, up sharply from a year ago.",
    "Data-center revenue was a record, driven by the ramp of the Blackwell architecture.",
    "Gross margins are expected to be in the low-to-mid seventies percent range.",
    "Operating expenses rose as the company invested in new products and infrastructure.",
    "Management said supply would improve through the second half of the year.",
    "The outlook assumes no change in export restrictions to the affected regions.",
    "Nvidia remains the largest supplier of accelerators for training and inference.",
    "AMD said its MI355X is shipping to several large cloud customers.",
    "HBM supply from SK hynix, Samsung and Micron is sold out for the coming year.",
    "The cost of inference per million tokens has fallen by more than half in a year.",
    "Hyperscalers are building data centers of a gigawatt and more for training clusters.",
    "The new CPU uses a larger socket with more memory channels.",
    "CoWoS capacity at TSMC is expected to double again next year.",
    "Analysts expect the GB200 NVL72 rack to account for most Blackwell shipments.",
    "Blackwell Ultra adds more HBM3E memory per GPU and higher FP4 throughput.",
    "Cloud providers are designing their own accelerators to lower their cost of compute.",
    "Liquid cooling is now required for the densest racks.",
    "Export rules limit which accelerators can be sold to customers in China.",
    "The company declined to comment on pricing or on individual customers.",
    "Sovereign AI projects in Europe and the Middle East added to demand.",
    "Networking revenue grew faster than compute as clusters scaled out.",
    "Power availability, not chips, is becoming the limit for new data centers.",
    "The socket change means existing servers cannot take the new part.",
    "Inference workloads run increasingly on older GPUs whose cost is already written down.",
]
SNAPSHOT_HANS = [
    "公司表示，新一代产品的需求远超供应，预计将持续数个季度。",
    "分析师认为，先进封装产能是今年出货量的主要制约因素。",
    "英伟达数据中心业务收入再创新高，主要得益于新架构的放量。",
    "国内云服务商正在加快部署推理服务，以降低每个词元的成本。",
    "高带宽内存供应紧张，三大存储厂商的产能已被预订一空。",
    "多家互联网公司正在建设万卡规模的训练集群。",
    "华为昇腾芯片的出货量预计将在下半年明显增长。",
    "出口管制使部分高端加速器无法销往中国市场。",
    "数据中心的电力供应正在成为新的瓶颈。",
    "液冷方案已经成为高密度机柜的标配。",
    "推理需求的增长速度已经超过训练需求。",
    "服务器厂商表示，整机柜系统的订单持续增加。",
]
SNAPSHOT_HANT = [
    "輝達資料中心營收再創新高，主要受惠於新架構放量。",
    "供應鏈指出，CoWoS先進封裝產能今年仍然吃緊。",
    "英偉達新平台將帶動台灣伺服器代工廠營收成長。",
    "法人預估，高頻寬記憶體明年仍將供不應求。",
    "雲端服務商積極布建推理服務，以降低每個詞元的成本。",
    "多家業者正在打造萬卡規模的訓練叢集。",
    "台積電表示，先進製程需求強勁，資本支出將持續增加。",
    "伺服器廠商表示，整櫃系統訂單持續增加。",
    "液冷散熱已成為高密度機櫃的標準配備。",
    "出口管制使部分高階加速器無法銷往中國市場。",
]


# Filler: the long tail of words around the topical sentences, so that a term is in some pages, not all.
EN_WORDS = """
the of and to in a is that for it as was with be by on not he this are or his from at which but have an
they you were her she there one all we their been has would when who will more if no out so said what up its
about into than them can only other new some could time these two may then do first any my now such like our
over man me even most made after also did many before must through back years where much your way well down
should because each just those people how too little state good very make world still own see men work long get
here between both life being under never day same another know while last might us great old year off come since
against go came right used take three company market quarter revenue growth demand supply shipment order
customer product price cost margin capacity production factory wafer chip memory server rack cluster network
system software platform partner contract deal investment spending budget guidance outlook forecast estimate
analyst investor share stock report filing statement earnings call interview keynote event launch roadmap
schedule delay ramp volume sample design process node yield package substrate module board card power cooling
energy grid site region country export rule license government policy tariff tax subsidy fund loan bank
competition rival leader share gain loss record strong weak higher lower faster slower larger smaller early
late annual quarterly monthly weekly daily fiscal calendar percent billion million thousand dollar euro yuan
unit price premium discount bundle option version generation architecture accelerator processor graphics
interconnect switch optical copper cable rack-scale liquid air thermal density efficiency performance benchmark
workload model training inference serving token latency throughput bandwidth storage flash disk fabric
software stack compiler library framework developer ecosystem open source license hyperscaler enterprise
startup lab university research paper patent engineer team hire layoff executive board chairman president
founder office headquarters plant campus lease building construction permit water land community local
national global international european asian american chinese japanese korean taiwanese indian middle east
africa latin america north south east west quarter half full partial initial final previous next current
future past recent latest earlier later expected planned announced confirmed denied rumored reported
according sources familiar people said told added noted wrote argued claimed estimated projected expected
""".split()
ZH_CHARS = (
    "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而"
    "方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好"
    "应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向"
    "道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特"
    "件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处府"
    "研需市场投收入售购货客户价格利润销增减升降额季度融股票财报供链芯片晶圆封装测试设计制造工厂服务器存储网络"
    "系统软件平台合作协议订单交付出货项目方案预计估计分析师机构报告显示表示认为透露消息人士知情官方"
)


# Topical sentences naming a rare term are drawn less often: "socket" is in a few percent of the pages, not half.
RARE_TERMS = {"socket": 0.04, "插槽": 0.15, "Blackwell Ultra": 0.3}


def weighted(pool: list[str]) -> tuple[list[str], list[float]]:
    weights = [min([w for term, w in RARE_TERMS.items() if term in text] or [1.0]) for text in pool]
    return pool, _accumulate(weights)


class Filler:
    """Generic sentences around the topical ones: a Zipf-distributed vocabulary (real words, then a long tail of
    made-up ones) in English; common characters, Zipf-distributed, in Chinese (made traditional with OpenCC)."""

    def __init__(self, rng: random.Random):
        import opencc

        tail = sorted({(rng.choice(SYLLABLES) + rng.choice(ENDINGS) + rng.choice(SYLLABLES).lower()).lower()
                       for _ in range(6000)})  # fmt: skip
        rng.shuffle(tail)
        self.words = EN_WORDS + tail
        self.word_cum = _accumulate(1 / (rank + 1) for rank in range(len(self.words)))
        self.chars = ZH_CHARS
        self.char_cum = _accumulate(1 / (rank + 1) ** 0.6 for rank in range(len(self.chars)))
        self.s2t = opencc.OpenCC("s2t.json")

    def english(self, rng: random.Random, words: int) -> str:
        text = " ".join(rng.choices(self.words, cum_weights=self.word_cum, k=words))
        return text[0].upper() + text[1:] + "."

    def chinese(self, rng: random.Random, chars: int, traditional: bool) -> str:
        text = "".join(rng.choices(self.chars, cum_weights=self.char_cum, k=chars))
        text = "，".join(text[i : i + 12] for i in range(0, len(text), 12)) + "。"
        return self.s2t.convert(text) if traditional else text


@dataclass
class Pools:
    """What claims and sources draw on: companies (weighted), their products and architectures, names by script."""

    company_ids: list
    company_cum: list
    names: dict  # company id -> (english, simplified, traditional)
    products_of: dict  # company id -> [(product id, name)]
    archs_of: dict  # company id -> [name]
    all_products: list
    people: int


def _accumulate(weights):
    total, out = 0.0, []
    for weight in weights:
        total += weight
        out.append(total)
    return out


def _hant(aliases: list[str]) -> str | None:
    from search.text import fold

    chinese = [a for a in aliases if not a.isascii()]
    traditional = [a for a in chinese if fold(a) != a]  # folding changes traditional characters
    return traditional[0] if traditional else (chinese[0] if chinese else None)


def _hans(aliases: list[str]) -> str | None:
    from search.text import fold

    simplified = [a for a in aliases if not a.isascii() and fold(a) == a]
    return simplified[0] if simplified else None
