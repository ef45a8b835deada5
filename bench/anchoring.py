"""Benchmark: anchoring 200-character quotes in a snapshot of about a megabyte (intel/anchoring.py).

Not a test: run it by hand and copy the figures to docs/performance.md. No database. It
builds a synthetic snapshot, deterministically: English paragraphs about a made-up chip
vendor (curly quotes, dashes, an ellipsis now and then) and traditional Chinese ones as
scraped (full-width punctuation, line breaks inside sentences, pinyin notes such as
達(dá)), until SNAPSHOT_BYTES of UTF-8 (default 1,000,000). Then, for ROUNDS rounds
(default 30) after a warm-up, it times ``anchor_quote`` on 200-character quotes taken
from it:

- exact: the quote word for word (found before anything is normalised);
- normalised, cold: the quote in simplified characters, straight quote marks, without the
  line breaks and pinyin notes, in a snapshot not seen before (a character appended each
  round), so the snapshot is normalised within the timing;
- normalised, warm: the same, snapshot normalised already (``normalised_snapshot`` cache);
- approximate, warm and cold: the normalised quote with a few letters changed, dropped and added;
- approximate, worst cases: a quote of boilerplate sentences (each piece of it found at many
  places) and a quote of APPROXIMATE_MAX_CHARS characters with one in 25 changed;
- not found, warm and cold: a quote that is nowhere, which goes through every step.

It prints the machine, the one-time cost of building the character tables (the first call
in a process), and a Markdown table of median, p95 and max milliseconds.

    .venv/bin/python bench/anchoring.py
    ROUNDS=100 SNAPSHOT_BYTES=2000000 .venv/bin/python bench/anchoring.py
"""

import os
import platform
import random
import re
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from intel import anchoring  # noqa: E402
from intel.anchoring import APPROXIMATE_MAX_CHARS, anchor_quote, normalise, normalised_snapshot  # noqa: E402

ROUNDS = int(os.environ.get("ROUNDS", 30))
SNAPSHOT_BYTES = int(os.environ.get("SNAPSHOT_BYTES", 1_000_000))
QUOTE_CHARS = 200

ENGLISH = [
    "Corvanta said its {chip} accelerator would ship in volume in the {quarter} quarter, "
    "{percent}% later than analysts had expected.",
    "“We are supply-constrained on advanced packaging,” the chief executive told investors "
    "on a call — adding that capacity would double by {year}.",
    "The {chip} uses {hbm} GB of high-bandwidth memory and draws {watts} W, according to a "
    "data sheet seen by reporters.",
    "Rivals’ parts are cheaper… but Corvanta’s software stack keeps customers from switching, a cloud buyer said.",
    "Revenue from data-centre products rose to ${revenue} billion, up {percent}% year on year.",
    "The company’s {chip} roadmap — first shown at its {year} developer conference — now "
    "promises a new part every year.",
]
CHINESE = [
    "科凡達(dá)表示，其{chip}加速器將於第{quarter_zh}季開始量產，比分析師預期晚了約{percent}%。",
    "執行長在法說會上說：「我們在先進封裝上的產能仍然不足。」他並補充，產能將在{year}年前倍增。",
    "根據記者看到的規格表，{chip}採用{hbm}GB高頻寬記憶體，功耗約{watts}瓦。",
    "競爭對手的產品較便宜，但科凡達的軟體生態系讓客戶難以轉(zhuǎn)換供應商，一位雲端採購主管說。",
    "資料中心產品營收增至{revenue}億美元，年增{percent}%，優於市場預期。",
    "該公司的{chip}產品路線圖於{year}年開發者大會首度公開，如今承諾每年推出一款新晶片。",
]
CHIPS = ["Halcyon H9", "Halcyon H10", "Meridian M3", "Meridian M4", "Tessera T2"]
QUARTERS = ["first", "second", "third", "fourth"]
QUARTERS_ZH = ["一", "二", "三", "四"]
# Most sentences are made of words drawn at random, so that most stretches of the text occur once.
WORDS = (
    "accelerator advanced analysts annual architecture bandwidth board buyers capacity chiplet cloud cluster "
    "company compute contract cooling customers data delivery demand design developers die engineers export "
    "factory fabrication forecast foundry gaming growth guidance inference interconnect inventory investors "
    "latency launch licence margin market memory model network node orders packaging partners performance "
    "platform power price process product quarter rack revenue roadmap sales server shipments silicon software "
    "startup supply switch systems tariff training transistor units vendor wafer workload yield"
).split()
VERBS = "said expects raised cut delayed shipped doubled priced reported confirmed denied announced".split()
HAN = (
    "的一是不了人我在有他這中大來上國個到說們為子和你地出道也時年得就那要下以生會自著去之過家學對可她裡後小麼心多天而能好"
    "都然沒日於起還發成事只作當想看文無開手十用主行方又如前所本見經頭面公同三已老從動兩長知民樣現分將外但身些與高意進把法此實"
    "回二理美點月明其種聲全工己話兒者向情部正名定女問力機給等幾很業最間新什打便位因重被走電四第門相次東政海口使教西再平真聽世"
    "氣信北少關並內加化由卻代軍產入先山五太水萬市眼體別處總才場師書比住員九笑性通目華報立馬命張活難神數件安表原車白應路期叫死"
    "晶片營收預測供應鏈製程封裝記憶體伺服器資料中心客戶訂單產能良率"
)


def random_english_sentence(rng: random.Random) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(8, 20))]
    words.insert(rng.randint(1, 4), rng.choice(VERBS))
    if rng.random() < 0.2:
        index = rng.randrange(len(words) - 1)
        words[index] = f"“{words[index]}"
        words[-1] = f"{words[-1]}”"
    if rng.random() < 0.15:
        words.insert(rng.randrange(2, len(words)), "—")
    return " ".join(words).capitalize() + rng.choice([".", ".", ".", "…", ";"])


def random_chinese_sentence(rng: random.Random) -> str:
    chars = [rng.choice(HAN) for _ in range(rng.randint(12, 40))]
    if rng.random() < 0.3:
        chars.insert(rng.randint(1, len(chars) - 1), "，")
    if rng.random() < 0.1:
        chars.insert(rng.randint(1, len(chars) - 1), rng.choice(["(dá)", "(zhuǎn)", "(lǜ)"]))
    if rng.random() < 0.2:
        chars.insert(rng.randint(1, len(chars) - 1), "「")
        chars.append("」")
    return "".join(chars) + rng.choice(["。", "。", "！", "？"])


def fill(template: str, rng: random.Random) -> str:
    return template.format(
        chip=rng.choice(CHIPS),
        quarter=rng.choice(QUARTERS),
        quarter_zh=rng.choice(QUARTERS_ZH),
        percent=rng.randint(3, 60),
        year=rng.randint(2024, 2029),
        hbm=rng.choice([96, 141, 192, 288]),
        watts=rng.randint(400, 1400),
        revenue=rng.randint(10, 400),
    )


def english_paragraph(rng: random.Random) -> str:
    return " ".join(
        fill(rng.choice(ENGLISH), rng) if rng.random() < 0.25 else random_english_sentence(rng)
        for _ in range(rng.randint(3, 7))
    )


def chinese_paragraph(rng: random.Random) -> str:
    text = "".join(
        fill(rng.choice(CHINESE), rng) if rng.random() < 0.25 else random_chinese_sentence(rng)
        for _ in range(rng.randint(3, 7))
    )
    # Scraped: a line break every 30 to 45 characters, between two Chinese characters.
    lines = []
    while text:
        cut = rng.randint(30, 45)
        while cut < len(text) and not (is_han(text[cut - 1]) and is_han(text[cut])):
            cut += 1
        lines.append(text[:cut])
        text = text[cut:]
    return "\n".join(lines)


def is_han(char: str) -> bool:
    return "\u4e00" <= char <= "\u9fff"


def build_snapshot(seed: int = 1) -> str:
    rng = random.Random(seed)
    paragraphs = []
    size = 0
    while size < SNAPSHOT_BYTES:
        paragraph = english_paragraph(rng) if rng.random() < 0.5 else chinese_paragraph(rng)
        paragraphs.append(paragraph)
        size += len(paragraph.encode()) + 2
    return "\n\n".join(paragraphs)


def simplified_by_character(text: str) -> str:
    converter = anchoring._opencc_t2s()
    return "".join(converter.convert(char) for char in text)


def quotes(snapshot: str, rng: random.Random) -> dict[str, str]:
    """Quotes of QUOTE_CHARS characters from the snapshot, as each case needs them."""
    # A stretch with Chinese in it, starting and ending on a visible character.
    while True:
        start = rng.randrange(len(snapshot) - 2 * QUOTE_CHARS)
        exact = snapshot[start : start + QUOTE_CHARS]
        if exact == exact.strip() and "(" in exact and "「" in exact:
            break
    # What an analyst pastes from the simplified mirror: no line breaks, no pinyin notes, straight quotes.
    pasted = simplified_by_character(re.sub(r"\n|\([a-zāáǎàǜ]+\)", "", exact))
    pasted = pasted.replace("「", '"').replace("」", '"').replace("“", '"').replace("”", '"')
    edited = list(pasted)
    for index in (20, 70, 130):
        edited[index] = "X"
    del edited[100]
    edited.insert(160, "Y")
    return {
        "exact": exact,
        "normalised": pasted,
        "approximate": "".join(edited),
        "not found": "".join(rng.choice("abcdefghijklmnopqrstuvwxyz ") for _ in range(QUOTE_CHARS)),
        # The longest quote matched approximately, a character in 25 changed: the slowest alignment.
        "long": long_quote(snapshot, rng),
        # Boilerplate: sentences that occur hundreds of times with other figures, and edits. The
        # approximate step's worst case: every piece of the quote is found at many places.
        "boilerplate": (fill(ENGLISH[0], rng) + " " + fill(ENGLISH[2], rng))[:QUOTE_CHARS].replace("a", "e", 3),
    }


def long_quote(snapshot: str, rng: random.Random) -> str:
    text = normalise(snapshot).text
    start = rng.randrange(len(text) - APPROXIMATE_MAX_CHARS)
    quote = list(text[start : start + APPROXIMATE_MAX_CHARS])
    for index in range(0, len(quote), 25):
        quote[index] = "#"
    return "".join(quote)


def timed(function, rounds: int, expected_state: str) -> list[float]:
    times = []
    for round_number in range(rounds):
        started = time.perf_counter()
        anchor = function(round_number)
        times.append((time.perf_counter() - started) * 1000)
        assert anchor.state == expected_state, (expected_state, anchor)
    return times


def main() -> None:
    print(f"Machine: {os.cpu_count()} CPUs, Python {platform.python_version()} ({platform.machine()})")
    started = time.perf_counter()
    anchoring._tables()
    print(f"Character tables, once per process: {(time.perf_counter() - started) * 1000:.0f} ms")

    snapshot = build_snapshot()
    print(f"Snapshot: {len(snapshot.encode()):,} bytes of UTF-8, {len(snapshot):,} characters; {ROUNDS} rounds")
    cases = quotes(snapshot, random.Random(2))
    fresh = [snapshot + f" {round_number}" for round_number in range(ROUNDS)]  # not in the cache yet

    warm = normalised_snapshot(snapshot)
    for case, quote in cases.items():  # warm-up, and a look at the results
        anchor = anchor_quote(warm, quote)
        print(f"  {case} ({len(quote):,} characters): {anchor.state}: {anchor.message}")
    boilerplate_state = anchor_quote(warm, cases["boilerplate"]).state

    warm_rows = [
        ("exact", cases["exact"], "verified"),
        ("normalised, warm", cases["normalised"], "normalised"),
        ("approximate, warm", cases["approximate"], "approximate"),
        ("approximate, boilerplate quote, warm", cases["boilerplate"], boilerplate_state),
        (f"approximate, {APPROXIMATE_MAX_CHARS:,}-character quote, warm", cases["long"], "approximate"),
        ("not found, warm", cases["not found"], "not_found"),
    ]
    results = []
    for name, quote, state in warm_rows:
        results.append((name, timed(lambda _, quote=quote: anchor_quote(snapshot, quote), ROUNDS, state)))
    cold_rows = [
        ("normalised, cold", cases["normalised"], "normalised"),
        ("approximate, cold", cases["approximate"], "approximate"),
        ("not found, cold", cases["not found"], "not_found"),
    ]
    for name, quote, state in cold_rows:
        normalised_snapshot.cache_clear()
        fresh = [snapshot + f" {round_number}" for round_number in range(ROUNDS)]  # never seen: not in the cache
        results.append((name, timed(lambda r, quote=quote, fresh=fresh: anchor_quote(fresh[r], quote), ROUNDS, state)))
    results.append(("normalise() alone", timed_normalise(fresh)))

    print()
    print("| Case | median ms | p95 ms | max ms |")
    print("|---|---:|---:|---:|")
    for name, times in results:
        times = sorted(times)
        p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
        print(f"| {name} | {statistics.median(times):.1f} | {p95:.1f} | {times[-1]:.1f} |")


def timed_normalise(texts: list[str]) -> list[float]:
    times = []
    for text in texts:
        started = time.perf_counter()
        normalise(text)
        times.append((time.perf_counter() - started) * 1000)
    return times


if __name__ == "__main__":
    main()
