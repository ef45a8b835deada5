"""Finding a citation's quote in a source's archived snapshot (intel/anchoring.py).

The texts are written for these tests: a short English article about a made-up chip vendor
and a Chinese one in traditional characters, plus variants of them as a scraper or an
analyst would produce them.
"""

import random
import tracemalloc
from array import array

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from intel import anchoring
from intel.anchoring import (
    APPROXIMATE_THRESHOLD,
    CONTEXT_CHARS,
    MAX_PLACES_SCORED,
    SNAPSHOT_CACHE_ENTRIES,
    Anchor,
    NormalisedText,
    anchor_quote,
    normalise,
    normalised_snapshot,
)
from intel.choices import VerificationState

ENGLISH = (
    "Corvanta Systems said on Tuesday that its Halcyon H9 accelerator would ship in volume in the third "
    "quarter, a few weeks later than analysts had expected.\n\n"
    "“We are supply-constrained on advanced packaging,” chief executive Mira Okafor told investors — "
    "adding that capacity at its two partner plants would double by 2026. Demand remains strong.\n\n"
    "The Halcyon H9 pairs two compute dies with 192 GB of high-bandwidth memory and draws up to 1,000 W. "
    "Cloud buyers said the part's software stack, not its price, kept them from switching. "
    "Demand remains strong.\n\n"
    "Shares rose 4% in after-hours trading."
)
REPEATED = "Demand remains strong."

CHINESE = (
    "科凡達表示，其Halcyon H9加速器將於第三季開始量產，比分析師預期晚了幾週。"
    "執行長在法說會上說：「我們在先進封裝上的產能仍然不足。」"
    "她並補充，兩家合作工廠的產能將在2026年前倍增。"
    "雲端採購主管表示，讓他們難以轉換供應商的是軟體生態系，而不是價格。"
)
# The same article as a scraper left it: line breaks inside sentences, pinyin notes, a space.
CHINESE_SCRAPED = (
    "科凡達(dá)表示，其Halcyon H9加速器將於第三季\n開始量產，比分析師預期晚了幾週。"
    "執行長在法說會上說：「我們在先進封裝上的產能仍然不足。」\n"
    "她並補充，兩家合作工廠的產能將在2026年前倍增。"
    "雲端採購主管表示，讓他們難以轉（zhuǎn）換供應商的是軟體\n生態系，而不是價格。"
)


def assert_points_at_the_snapshot(anchor: Anchor, snapshot: str) -> None:
    assert anchor.start is not None
    assert anchor.exact == snapshot[anchor.start : anchor.end]
    assert anchor.prefix == snapshot[max(0, anchor.start - CONTEXT_CHARS) : anchor.start]
    assert anchor.suffix == snapshot[anchor.end : anchor.end + CONTEXT_CHARS]


# Word for word.


def test_a_quote_found_word_for_word_once_is_verified_with_its_offsets_and_context():
    quote = "its Halcyon H9 accelerator would ship in volume"
    anchor = anchor_quote(ENGLISH, quote)
    assert anchor.state == VerificationState.VERIFIED
    assert anchor.start == ENGLISH.index(quote)
    assert anchor.end == anchor.start + len(quote)
    assert anchor.exact == quote
    assert len(anchor.prefix) == CONTEXT_CHARS
    assert anchor.prefix == "Corvanta Systems said on Tuesday that "[-CONTEXT_CHARS:]
    assert anchor.suffix.startswith(" in the third")
    assert (anchor.similarity, anchor.occurrences) == (1.0, 1)
    assert anchor.message == "Found once, word for word."


def test_context_is_cut_short_at_the_start_and_end_of_the_snapshot():
    anchor = anchor_quote(ENGLISH, "Corvanta Systems")
    assert anchor.prefix == ""
    anchor = anchor_quote(ENGLISH, "after-hours trading.")
    assert anchor.suffix == ""
    assert anchor.prefix == ENGLISH[anchor.start - CONTEXT_CHARS : anchor.start]


def test_white_space_around_a_pasted_quote_is_not_part_of_it():
    anchor = anchor_quote(ENGLISH, "\n  Shares rose 4% in after-hours trading. \n")
    assert anchor.state == VerificationState.VERIFIED
    assert anchor.exact == "Shares rose 4% in after-hours trading."


def test_a_chinese_quote_found_word_for_word_is_verified():
    quote = "「我們在先進封裝上的產能仍然不足。」"
    anchor = anchor_quote(CHINESE, quote)
    assert anchor.state == VerificationState.VERIFIED
    assert anchor.start == CHINESE.index(quote)


# Each normalisation on its own.


def test_full_width_letters_digits_and_spaces_match_half_width_ones():
    snapshot = "據報導，ＮＶＩＤＩＡ　２０２５年的營收，創下新高。"
    anchor = anchor_quote(snapshot, "NVIDIA 2025年的營收,創下新高")
    assert anchor.state == VerificationState.NORMALISED
    assert anchor.exact == "ＮＶＩＤＩＡ　２０２５年的營收，創下新高"
    assert_points_at_the_snapshot(anchor, snapshot)


def test_half_width_text_in_the_snapshot_matches_a_full_width_quote():
    anchor = anchor_quote(ENGLISH, "Ｈａｌｃｙｏｎ Ｈ９ ａｃｃｅｌｅｒａｔｏｒ")
    assert anchor.state == VerificationState.NORMALISED
    assert anchor.exact == "Halcyon H9 accelerator"


def test_ligatures_and_an_ellipsis_match_their_letters():
    snapshot = "The ﬁrst ﬁgures were weak… but the outlook improved."
    anchor = anchor_quote(snapshot, "first figures were weak... but")
    assert anchor.state == VerificationState.NORMALISED
    assert anchor.exact == "ﬁrst ﬁgures were weak… but"
    assert_points_at_the_snapshot(anchor, snapshot)


def test_a_letter_with_a_combining_accent_matches_the_accented_letter():
    snapshot = "Analysts at Socie\u0301te\u0301 Ge\u0301ne\u0301rale cut their target."
    anchor = anchor_quote(snapshot, "Société Générale cut")
    assert anchor.state == VerificationState.NORMALISED
    assert anchor.exact == "Socie\u0301te\u0301 Ge\u0301ne\u0301rale cut"


def test_runs_of_white_space_and_line_breaks_match_one_space():
    snapshot = "Capacity at its two partner\n  plants\twould\u00a0double by 2026."
    anchor = anchor_quote(snapshot, "two partner plants would double")
    assert anchor.state == VerificationState.NORMALISED
    assert anchor.exact == "two partner\n  plants\twould\u00a0double"


def test_invisible_characters_inside_words_are_ignored():
    snapshot = "The accel\u00aderator ships in vol\u200bume this year."
    anchor = anchor_quote(snapshot, "accelerator ships in volume")
    assert anchor.state == VerificationState.NORMALISED
    assert anchor.exact == "accel\u00aderator ships in vol\u200bume"


def test_line_breaks_and_spaces_inside_chinese_sentences_are_ignored():
    snapshot = "雲端採購主管表示，讓他們難以轉換供應商的是軟體\n生態系， 而不是\u3000價格。"
    anchor = anchor_quote(snapshot, "讓他們難以轉換供應商的是軟體生態系，而不是價格")
    assert anchor.state == VerificationState.NORMALISED
    assert anchor.exact == "讓他們難以轉換供應商的是軟體\n生態系， 而不是\u3000價格"


def test_a_space_between_chinese_and_latin_text_does_not_matter():
    anchor = anchor_quote(CHINESE, "其 Halcyon H9 加速器")
    assert anchor.state == VerificationState.NORMALISED
    assert anchor.exact == "其Halcyon H9加速器"


def test_curly_quotes_and_dashes_match_straight_ones():
    quote = '"We are supply-constrained on advanced packaging," chief executive Mira Okafor told investors -'
    anchor = anchor_quote(ENGLISH, quote)
    assert anchor.state == VerificationState.NORMALISED
    assert anchor.exact.startswith("“We are")
    assert anchor.exact.endswith("investors —")
    assert_points_at_the_snapshot(anchor, ENGLISH)


def test_straight_quotes_in_the_snapshot_match_curly_and_corner_quotes():
    snapshot = "He said: \"capacity would double\" - and 'soon'."
    assert anchor_quote(snapshot, "「capacity would double」 – and ‘soon’").state == VerificationState.NORMALISED
    assert anchor_quote(snapshot, "“capacity would double” — and").state == VerificationState.NORMALISED


def test_a_quote_in_simplified_characters_is_found_in_a_traditional_snapshot():
    anchor = anchor_quote(CHINESE, "执行长在法说会上说：「我们在先进封装上的产能仍然不足。」")
    assert anchor.state == VerificationState.NORMALISED
    assert anchor.exact == "執行長在法說會上說：「我們在先進封裝上的產能仍然不足。」"
    assert_points_at_the_snapshot(anchor, CHINESE)


def test_a_quote_in_traditional_characters_is_found_in_a_simplified_snapshot():
    snapshot = "英伟达(NVIDIA)在台湾又称辉达，其数据中心营收持续增长。"
    anchor = anchor_quote(snapshot, "在台灣又稱輝達，其數據中心營收")
    assert anchor.state == VerificationState.NORMALISED
    assert anchor.exact == "在台湾又称辉达，其数据中心营收"


def test_simplified_and_traditional_forms_normalise_to_the_same_text():
    assert normalise("英偉達").text == normalise("英伟达").text == "英伟达"
    assert normalise("輝達").text == normalise("辉达").text == "辉达"


def test_pinyin_notes_after_chinese_characters_are_ignored():
    anchor = anchor_quote(CHINESE_SCRAPED, "科凡達表示，其Halcyon H9加速器將於第三季開始量產")
    assert anchor.state == VerificationState.NORMALISED
    assert anchor.exact == "科凡達(dá)表示，其Halcyon H9加速器將於第三季\n開始量產"
    anchor = anchor_quote(CHINESE_SCRAPED, "讓他們難以轉換供應商的是軟體生態系")
    assert anchor.state == VerificationState.NORMALISED
    assert anchor.exact == "讓他們難以轉（zhuǎn）換供應商的是軟體\n生態系"


@pytest.mark.parametrize(
    ("scraped", "clean"),
    [
        ("英偉達(dá)開始", "英偉達開始"),
        ("轉(zhuǎn)變", "轉變"),
        ("達（dá）", "達"),
        ("達 (dá) 開始", "達開始"),
        ("綠(lǜ)色", "綠色"),
    ],
)
def test_a_pinyin_note_normalises_away(scraped, clean):
    assert normalise(scraped).text == normalise(clean).text


@pytest.mark.parametrize(
    "text",
    [
        "芯片(GPU)",  # upper case: an acronym, not pinyin
        "Blackwell (B200)",  # not after a Chinese character
        "café (dá) bar",  # pinyin-like, but after a Latin letter
        "達(da)",  # no tone mark
        "達(zhuangzhuang)",  # longer than a syllable
    ],
)
def test_parentheses_that_are_not_a_pinyin_note_are_kept(text):
    assert "(" in normalise(text).text


def test_a_quote_without_a_parenthesised_acronym_is_not_taken_as_normalised():
    snapshot = "輝達的芯片(GPU)供不應求。"
    assert anchor_quote(snapshot, "輝達的芯片(GPU)供不應求").state == VerificationState.VERIFIED
    assert anchor_quote(snapshot, "輝達的芯片供不應求").state != VerificationState.NORMALISED


def test_case_is_not_folded():
    assert normalise("NVIDIA").text == "NVIDIA"
    assert anchor_quote(ENGLISH, "CORVANTA systems").state == VerificationState.NOT_FOUND


# Approximate matches.


def test_a_quote_with_typos_and_a_dropped_word_is_an_approximate_match():
    quote = "The Halcyon H9 pairs two compute dies with 129 GB of high-bandwith memory and draws 1,000 W."
    anchor = anchor_quote(ENGLISH, quote)
    assert anchor.state == VerificationState.APPROXIMATE
    assert APPROXIMATE_THRESHOLD <= anchor.similarity < 1
    assert anchor.similarity > 0.9
    assert anchor.exact.startswith("The Halcyon H9 pairs")
    assert anchor.exact.endswith("1,000 W.")
    assert_points_at_the_snapshot(anchor, ENGLISH)
    assert "% similar" in anchor.message


def test_an_approximate_match_is_also_found_across_normalisations():
    quote = "执行长在法说会上说:「我们在先进封装上的产量仍然不足。」"  # 产能 → 产量, straight colon
    anchor = anchor_quote(CHINESE_SCRAPED, quote)
    assert anchor.state == VerificationState.APPROXIMATE
    assert anchor.exact == "執行長在法說會上說：「我們在先進封裝上的產能仍然不足。」"


def test_a_quote_too_different_from_anything_in_the_snapshot_is_not_found():
    quote = "The Halcyon H9 pairs four memory dies with 96 GB and draws at most 700 watts of power."
    anchor = anchor_quote(ENGLISH, quote)
    assert anchor.state == VerificationState.NOT_FOUND
    assert anchor.start is None
    assert anchor.similarity is None


def test_a_short_quote_is_not_matched_approximately():
    assert anchor_quote(ENGLISH, "Shares rise").state == VerificationState.NOT_FOUND  # 11 characters
    assert anchor_quote(ENGLISH, "Shares rise 4%").state == VerificationState.APPROXIMATE


def test_two_equally_close_matches_are_ambiguous_until_a_hint_decides():
    snapshot = "Q2: Corvanta said the H9 would ship soon. Q3: Corvanta said the H9 would ship soon. End."
    quote = "Corvanta said the H9 would shop soon."
    anchor = anchor_quote(snapshot, quote)
    assert anchor.state == VerificationState.AMBIGUOUS
    assert anchor.occurrences == 2
    anchor = anchor_quote(snapshot, quote, prefix="Q3: ")
    assert anchor.state == VerificationState.APPROXIMATE
    assert anchor.start == snapshot.index("Corvanta", snapshot.index("Q3"))


# Several places.


def test_a_quote_repeated_in_two_paragraphs_is_ambiguous():
    anchor = anchor_quote(ENGLISH, REPEATED)
    assert anchor.state == VerificationState.AMBIGUOUS
    assert (anchor.start, anchor.end, anchor.exact, anchor.similarity) == (None, None, "", None)
    assert anchor.occurrences == 2
    assert anchor.message == (
        "Found 2 times; quote a longer passage (a few words before or after) to say which one is meant."
    )


def test_an_ambiguous_quote_asks_for_a_longer_quote_the_only_thing_the_analyst_can_change():
    # There is no field for words around the quote: the advice is always to quote more, in one sentence.
    snapshot = "Intro. Prices fell. Demand remains strong. Outro. Prices fell. Demand remains strong. Outro."
    anchors = [
        anchor_quote(ENGLISH, REPEATED),
        anchor_quote(snapshot, REPEATED, prefix="Prices fell. ", suffix=" Outro."),
        anchor_quote("第一段：英偉達的營收創新高。第二段：英偉達的營收創新高。", "英伟达的营收创新高"),
        anchor_quote("x" * 3000, "xx"),
    ]
    for anchor in anchors:
        assert anchor.state == VerificationState.AMBIGUOUS
        assert anchor.message.endswith(
            "; quote a longer passage (a few words before or after) to say which one is meant."
        )
        assert anchor.message.count(".") == 1, anchor.message  # one sentence
        for old_advice in ("add words", "give more", "just before or after the quote"):
            assert old_advice not in anchor.message


def test_a_prefix_hint_picks_one_of_the_repeated_places():
    anchor = anchor_quote(ENGLISH, REPEATED, prefix="not its price, kept them from switching. ")
    assert anchor.state == VerificationState.VERIFIED
    assert anchor.start == ENGLISH.rindex(REPEATED)
    assert anchor.occurrences == 2
    anchor = anchor_quote(ENGLISH, REPEATED, prefix="would double by 2026.")
    assert anchor.start == ENGLISH.index(REPEATED)


def test_a_suffix_hint_picks_one_of_the_repeated_places():
    anchor = anchor_quote(ENGLISH, REPEATED, suffix="\n\nShares rose")
    assert anchor.state == VerificationState.VERIFIED
    assert anchor.start == ENGLISH.rindex(REPEATED)
    anchor = anchor_quote(ENGLISH, REPEATED, suffix=" The Halcyon H9 pairs two compute dies")
    assert anchor.start == ENGLISH.index(REPEATED)


def test_a_hint_in_other_quote_marks_and_dashes_still_counts():
    snapshot = "He said “yes” — ship it. Later: she said “no” — ship it. Done."
    anchor = anchor_quote(snapshot, "ship it.", prefix='she said "no" -')
    assert anchor.state == VerificationState.VERIFIED
    assert anchor.start == snapshot.rindex("ship it.")


def test_hints_that_fit_both_places_leave_it_ambiguous():
    anchor = anchor_quote(ENGLISH, REPEATED, prefix="Nothing like the text. ", suffix="Nor this.")
    assert anchor.state == VerificationState.AMBIGUOUS
    snapshot = "Intro. Prices fell. Demand remains strong. Outro. Prices fell. Demand remains strong. Outro."
    anchor = anchor_quote(snapshot, REPEATED, prefix="Prices fell. ", suffix=" Outro.")
    assert anchor.state == VerificationState.AMBIGUOUS
    assert anchor.occurrences == 2
    assert anchor.message == (
        "Found 2 times, and the text around the quote when it was last found does not single one out; "
        "quote a longer passage (a few words before or after) to say which one is meant."
    )


def test_a_quote_repeated_after_normalising_is_settled_by_a_hint():
    snapshot = "第一段：英偉達的營收創新高。第二段：英偉達的營收創新高。"
    anchor = anchor_quote(snapshot, "英伟达的营收创新高")
    assert anchor.state == VerificationState.AMBIGUOUS
    assert anchor.occurrences == 2
    anchor = anchor_quote(snapshot, "英伟达的营收创新高", prefix="第二段:")
    assert anchor.state == VerificationState.NORMALISED
    assert anchor.start == snapshot.rindex("英偉達")
    assert anchor.occurrences == 2


# Nothing to find, nothing to look in.


def test_a_quote_that_is_not_there_is_not_found():
    anchor = anchor_quote(ENGLISH, "Corvanta will acquire a memory maker for $12 billion.")
    assert anchor == Anchor(
        state=VerificationState.NOT_FOUND,
        start=None,
        end=None,
        exact="",
        prefix="",
        suffix="",
        similarity=None,
        occurrences=0,
        message="Not found in the snapshot, even after normalising both texts and allowing for small differences.",
    )


@pytest.mark.parametrize("snapshot", [None, "", " \n "])
def test_a_source_without_a_snapshot_has_no_snapshot_state(snapshot):
    anchor = anchor_quote(snapshot, "Demand remains strong.")
    assert anchor.state == VerificationState.NO_SNAPSHOT
    assert anchor.start is None
    assert anchor.message


def test_no_snapshot_yet_says_so():
    assert anchor_quote(None, "x").message == "The source has no archived snapshot yet."


@pytest.mark.parametrize("quote", ["", "   ", "\n", "\u200b"])
def test_a_blank_quote_is_not_found(quote):
    anchor = anchor_quote(ENGLISH, quote)
    assert anchor.state == VerificationState.NOT_FOUND
    assert anchor.message


def test_a_quote_longer_than_the_snapshot_says_both_lengths():
    snapshot = (ENGLISH * 2)[:640]
    quote = (ENGLISH * 2)[:812]
    anchor = anchor_quote(snapshot, quote)
    assert anchor.state == VerificationState.NOT_FOUND
    assert anchor.message == "The quote (812 characters) is longer than the whole snapshot (640 characters)."


# Pathological texts: the work and the memory stay bounded.


def test_counting_places_stops_after_max_places_scored():
    text = "a" * 2_000_000
    tracemalloc.start()
    try:
        anchor = anchor_quote(text, "aa")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert anchor.state == VerificationState.AMBIGUOUS
    assert anchor.occurrences == MAX_PLACES_SCORED + 1
    assert anchor.message.startswith(f"Found more than {MAX_PLACES_SCORED:,} times; quote a longer passage")
    # Listing every place first took over 200 MB here.
    assert peak < 2_000_000


def test_counting_places_after_normalising_stops_after_max_places_scored():
    # Not word for word anywhere; once the soft hyphens go, at every character.
    anchor = anchor_quote("a\u00ad" * 20_000, "aa")
    assert anchor.state == VerificationState.AMBIGUOUS
    assert anchor.occurrences == MAX_PLACES_SCORED + 1
    assert anchor.message.startswith(f"Found more than {MAX_PLACES_SCORED:,} times after normalising")


def test_the_offset_maps_are_compact_arrays():
    text = "a\u00ad" * 50_000  # an edit at every other character
    tracemalloc.start()
    try:
        normalised = normalise(text)
        kept = tracemalloc.get_traced_memory()[0]
    finally:
        tracemalloc.stop()
    assert normalised.text == "a" * 50_000
    assert normalised.original_span(10, 20) == (20, 39)
    step = normalised._steps[0]
    assert all(isinstance(offsets, array) for offsets in (step.in_starts, step.in_ends, step.out_starts, step.out_ends))
    # Four offsets an edit, of four or eight bytes; lists of Python ints kept about 160 bytes an edit.
    assert kept < 50_000 * 40


def test_normalising_in_batches_gives_the_same_text_and_offsets(monkeypatch):
    rng = random.Random(20250611)
    texts = [CHINESE_SCRAPED, ENGLISH] + [
        "".join(rng.choice(PIECES + EXPANDING) for _ in range(rng.randint(1, 60))) for _ in range(200)
    ]
    whole = [normalise(text) for text in texts]
    monkeypatch.setattr(anchoring, "_EDITS_PER_BATCH", 2)
    monkeypatch.setattr(anchoring, "_WHITE_SPACE_CHUNK_CHARS", 3)
    for text, expected in zip(texts, whole, strict=True):
        batched = normalise(text)
        assert batched.text == expected.text
        length = len(expected.text)
        spans = [(start, end) for start in range(length + 1) for end in range(start, min(length, start + 4) + 1)]
        assert [batched.original_span(*span) for span in spans] == [expected.original_span(*span) for span in spans]


# Normalised snapshots: the mapping back, the cache.


def test_anchoring_in_a_normalised_snapshot_gives_the_same_anchor_as_in_its_text():
    normalised = normalise(CHINESE_SCRAPED)
    for quote in ("第三季開始量產", "执行长在法说会上说", "讓他們難以轉換供應商"):
        assert anchor_quote(normalised, quote) == anchor_quote(CHINESE_SCRAPED, quote)


def test_the_snapshot_cache_returns_the_same_object_for_the_same_text():
    first = normalised_snapshot(ENGLISH)
    assert isinstance(first, NormalisedText)
    assert normalised_snapshot(ENGLISH) is first
    assert normalised_snapshot("".join(list(ENGLISH))) is first  # equal text, another string object
    assert normalised_snapshot(CHINESE) is not first


def test_the_snapshot_cache_keeps_only_the_last_few_snapshots():
    normalised_snapshot.cache_clear()
    texts = [f"{ENGLISH} {number}" for number in range(SNAPSHOT_CACHE_ENTRIES + 2)]
    first = normalised_snapshot(texts[0])
    for text in texts:
        normalised_snapshot(text)
    assert len(normalised_snapshot) == SNAPSHOT_CACHE_ENTRIES
    assert normalised_snapshot(texts[-1]) is normalised_snapshot(texts[-1])
    assert normalised_snapshot(texts[0]) is not first  # dropped, normalised again


def test_the_snapshot_cache_is_bounded_by_size_and_does_not_keep_a_snapshot_larger_than_that(monkeypatch):
    normalised_snapshot.cache_clear()
    small = normalise(ENGLISH).nbytes
    monkeypatch.setattr(normalised_snapshot, "max_bytes", 2 * small + small // 2)
    english = normalised_snapshot(ENGLISH)
    large = CHINESE_SCRAPED * 20
    assert normalised_snapshot(large) is not normalised_snapshot(large)  # normalised each time, never kept
    assert normalised_snapshot(ENGLISH) is english
    normalised_snapshot(ENGLISH + " ")
    normalised_snapshot(ENGLISH + "  ")  # three would not fit: the least recently used goes
    assert len(normalised_snapshot) == 2
    assert normalised_snapshot(ENGLISH) is not english
    normalised_snapshot.cache_clear()


def test_a_normalised_text_keeps_the_original():
    normalised = normalise(CHINESE_SCRAPED)
    assert normalised.original is CHINESE_SCRAPED
    assert "(dá)" not in normalised.text
    assert "\n" not in normalised.text


def test_a_normalised_span_maps_back_to_the_original_characters_without_removed_text_at_its_ends():
    original = "英偉達(dá)開始  轉(zhuǎn)變…"
    normalised = normalise(original)
    assert normalised.text == "英伟达开始转变..."

    def original_of(normalised_piece: str) -> str:
        start = normalised.text.index(normalised_piece)
        original_start, original_end = normalised.original_span(start, start + len(normalised_piece))
        return original[original_start:original_end]

    assert original_of("英伟达") == "英偉達"  # the note after it is not part of it
    assert original_of("开始") == "開始"
    assert original_of("英伟达开始转变") == "英偉達(dá)開始  轉(zhuǎn)變"  # notes and spaces inside are
    assert original_of("转变.") == "轉(zhuǎn)變…"  # part of an expanded character: all of it


# Pieces of text a normalised span can come from: each normalisation step, and plain text around them.
PIECES = [
    "a",
    "B",
    "7",
    " ",
    "  ",
    "\n",
    "\t",
    "\u3000",
    "\u00a0",
    "\u200b",
    "\u00ad",
    "科",
    "達",
    "輝",
    "产",
    "，",
    "。",
    "「",
    "」",
    "“",
    "”",
    "—",
    "-",
    "Ｎ",
    "２",
    "(dá)",
    "（zhuǎn）",
    " (lǜ)",
    "(GPU)",
    "(da)",
    "e\u0301",
    "é",
    "\u0301",
    "𝐀",
    "😀",
]
# Characters normalising makes longer: a normalised span may end inside what one of them became.
EXPANDING = ["…", "ﬁ", "½", "㈱", "™"]


def assert_spans_map_back(text: str, spans: list[tuple[int, int]]) -> None:
    normalised = normalise(text)
    for start, end in spans:
        original_start, original_end = normalised.original_span(start, end)
        assert 0 <= original_start <= original_end <= len(text)
        piece = normalise(text[original_start:original_end]).text
        wanted = normalised.text[start:end]
        assert wanted in piece, (text, start, end)
        # Ends inside what a character became (… → ...) map to the whole character; any other
        # span comes from text that normalises to exactly the span.
        if not (_inside_an_expansion(normalised, start) or _inside_an_expansion(normalised, end)):
            assert piece == wanted, (text, start, end)


def _inside_an_expansion(normalised: NormalisedText, offset: int) -> bool:
    """Whether ``offset`` falls inside what one stretch of the original became: a start there maps
    to the stretch's start, an end there to its end."""
    as_start = normalised.original_span(offset, len(normalised.text))[0]
    as_end = normalised.original_span(0, offset)[1]
    return as_start < as_end


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from(PIECES + EXPANDING), max_size=30).map("".join), st.data())
def test_every_normalised_span_maps_back_to_text_that_normalises_to_it(text, data):
    length = len(normalise(text).text)
    offsets = st.integers(0, length)
    spans = [tuple(sorted(data.draw(st.tuples(offsets, offsets)))) for _ in range(10)]
    assert_spans_map_back(text, spans)


def test_normalised_spans_of_random_texts_map_back_even_through_expanding_characters():
    rng = random.Random(20250324)
    for _ in range(300):
        text = "".join(rng.choice(PIECES + EXPANDING) for _ in range(rng.randint(1, 40)))
        length = len(normalise(text).text)
        spans = [tuple(sorted((rng.randint(0, length), rng.randint(0, length)))) for _ in range(20)]
        assert_spans_map_back(text, spans)
