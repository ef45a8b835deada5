"""Find a citation's quote in the archived snapshot of its source.

A citation is only as good as a reader's chance of finding its quote in the source, and
quotes are pasted from pages that differ from the archived copy in small ways: curly or
straight quote marks, full-width digits, a simplified mirror of a traditional page, line
breaks and pinyin notes inside scraped Chinese sentences, a typo. So a quote is looked for
word for word, then with both texts normalised, then approximately, and the first step that
finds it decides. The anchor (W3C text-quote style: exact text, up to 32 characters of
context either side) points into the snapshot as archived, never into a normalised copy.

Normalising is built to re-check every citation of a source whenever it is archived again:
a megabyte takes a few tens of milliseconds (``str.translate`` and compiled regular
expressions, Python code only where the length changes), and ``normalised_snapshot`` keeps
the last few. Memory stays bounded on pathological snapshots too (a soft hyphen after every
letter, "aa" in a million "a"): the offset maps are arrays of machine integers built a batch
of edits at a time, the cache is bounded by size, and places are counted only up to
MAX_PLACES_SCORED + 1.
"""

from __future__ import annotations

import functools
import re
import sys
import threading
import unicodedata
from array import array
from bisect import bisect_left, bisect_right
from collections import OrderedDict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import accumulate, chain, compress, cycle, islice
from operator import sub

import opencc

from intel.choices import VerificationState

# Characters of context kept on each side of a located quote (W3C TextQuoteSelector prefix and suffix).
CONTEXT_CHARS = 32
# Least similarity (1 - edit distance / quote length, on normalised text) of an approximate match.
APPROXIMATE_THRESHOLD = 0.8
# Shorter quotes are too likely to match something by chance to be matched approximately.
APPROXIMATE_MIN_CHARS = 12
# Longer quotes are not matched approximately: aligning one costs time in the square of its length.
APPROXIMATE_MAX_CHARS = 5000
# The approximate step looks for pieces of the quote word for word, then aligns the quote
# around the few places most pieces point at. These bound its work on a large snapshot.
APPROXIMATE_MAX_PIECES = 16
APPROXIMATE_PIECE_CHARS = 12
APPROXIMATE_MAX_HITS_PER_PIECE = 32
APPROXIMATE_MAX_VOTES = 256
APPROXIMATE_MAX_CANDIDATES = 4
# A quote found at more places than this is not told apart by the hints (each costs a comparison),
# and places beyond it are not counted.
MAX_PLACES_SCORED = 1000

# What the normalised step forgives, for the analyst's message.
NORMALISED_STEPS = "white space, quote marks, width, simplified/traditional characters and pronunciation notes"

_QUOTE_AND_DASH = (
    dict.fromkeys("“”„‟«»「」『』″〝〞＂", '"') | dict.fromkeys("‘’‚‛′＇", "'") | dict.fromkeys("‐‑‒–—―−﹘﹣－", "-")
)
# Invisible characters scraped pages leave inside words: soft hyphen, zero-width space, word
# joiner, byte order mark. They are white space that takes no room: dropped, or a space in a run.
_INVISIBLE = "\u00ad\u200b\u2060\ufeff"
_WHITE = " " + _INVISIBLE

# Han characters: extension A, unified, compatibility, the supplementary planes.
_HAN_RANGES = ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF), (0x20000, 0x3134F))
# Scripts written without spaces between words, where a space is an artefact of line wrapping:
# Han, kana, bopomofo, CJK punctuation and enclosed or squared CJK. Not hangul: Korean has spaces.
_CJK = (
    "\u3000-\u303f\u3040-\u30ff\u3100-\u312f\u31a0-\u31bf\u31f0-\u31ff\u3200-\u33ff"
    "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
)

_PINYIN_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿü"
_PINYIN_LETTERS = "a-z" + _PINYIN_TONED
# A parenthesised pinyin syllable with a tone mark or ü: 英偉達(dá), 轉（zhuǎn）(full-width
# parentheses are ASCII by then). Whether a Han character comes just before is checked in code,
# so the pattern starts with a literal "(" the regular-expression engine scans for quickly.
_PINYIN_NOTE = re.compile(rf"\((?=[{_PINYIN_LETTERS}]*[{_PINYIN_TONED}])[{_PINYIN_LETTERS}]{{1,8}}\)")

# A run of white space to change, captured whole (group 1) for re.split: one next to a CJK
# character goes, a longer one becomes one space (group 2), invisible characters alone go. A
# single space between two words does not match, so ordinary prose costs no Python code per space.
_WHITE_SPACE_TO_CHANGE = re.compile(
    rf"([{_WHITE}](?:(?<=[{_CJK}].)[{_WHITE}]*|[{_WHITE}]*(?=[{_CJK}])|([{_WHITE}]+)|(?<=[{_INVISIBLE}])))",
    re.DOTALL,
)
_NOT_WHITE = re.compile(f"[^{_WHITE}]")
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


def _is_han(char: str) -> bool:
    code = ord(char)
    return any(low <= code <= high for low, high in _HAN_RANGES)


def _is_mark(char: str) -> bool:
    """Combining marks and hangul vowel and final jamo: NFKC may merge them with the character before."""
    code = ord(char)
    return (
        unicodedata.category(char)[0] == "M"
        or unicodedata.combining(char) != 0
        or 0x1160 <= code <= 0x11FF
        or 0xD7B0 <= code <= 0xD7FF
    )


def _is_mark_in(char: str, marks: frozenset[str]) -> bool:
    return char in marks or (char > "\uffff" and _is_mark(char))


def _character_class(codes: list[int]) -> str:
    ranges: list[list[int]] = []
    for code in codes:
        if ranges and ranges[-1][1] == code - 1:
            ranges[-1][1] = code
        else:
            ranges.append([code, code])
    return "".join(
        re.escape(chr(low)) if low == high else f"{re.escape(chr(low))}-{re.escape(chr(high))}" for low, high in ranges
    )


# ---------------------------------------------------------------------------------------------
# The tables, built once per process.


@functools.cache
def _opencc_t2s() -> opencc.OpenCC:
    return opencc.OpenCC("t2s.json")


def _simplified(chars: list[str]) -> dict[str, str]:
    """The simplified form of each Han character, where OpenCC gives exactly one character for it.

    The characters go to OpenCC in one call, one a line, so no phrase spans two of them and
    the mapping stays one character for one: offsets need not move.
    """
    converted = _opencc_t2s().convert("\n".join(chars)).split("\n")
    if len(converted) != len(chars):  # never seen; rather one call each than a misaligned table
        converted = [_opencc_t2s().convert(char) for char in chars]
    return {char: simple for char, simple in zip(chars, converted, strict=True) if len(simple) == 1}


def _after_nfkc(char: str, simplified: dict[str, str]) -> str:
    """The steps after NFKC for one character: quote marks and dashes, white space, simplified Chinese."""
    char = _QUOTE_AND_DASH.get(char, char)
    if char.isspace():
        return " "
    return simplified.get(char, char)


@dataclass(frozen=True)
class _Tables:
    # For str.translate: every character of the basic multilingual plane to (the code of) the one
    # it normalises to, or to itself when NFKC makes it longer (the spot pass handles those). A list
    # of ints: the fastest table str.translate takes.
    one_to_one: list[int]
    # Runs of the characters NFKC changes in length (… → ..., ﬁ → fi, e + combining acute → é), and
    # of characters beyond the basic plane, which the table does not reach (emoji, rare Han).
    spots: re.Pattern[str]
    marks: frozenset[str]


@functools.cache
def _tables() -> _Tables:
    """One pass over the basic multilingual plane (under 0.1 s, once per process)."""
    nfkc = [unicodedata.normalize("NFKC", chr(code)) for code in range(0x10000)]
    simplified = _simplified(sorted({char for char in nfkc if len(char) == 1 and _is_han(char)}))
    one_to_one = []
    spots = []
    marks = []
    for code, normalised in enumerate(nfkc):
        char = chr(code)
        if 0xD800 <= code <= 0xDFFF:
            one_to_one.append(code)  # a lone surrogate: left alone
        elif char in _QUOTE_AND_DASH:
            one_to_one.append(ord(_QUOTE_AND_DASH[char]))  # before NFKC, which would make ″ two primes
        elif len(normalised) == 1:
            one_to_one.append(ord(_after_nfkc(normalised, simplified)))
        elif normalised[0] == " ":
            one_to_one.append(code)  # a spacing accent (¨ ´ ¯): NFKC would make it a space and a combining mark
        else:
            one_to_one.append(code)
            spots.append(code)
        if _is_mark(char) and char not in _QUOTE_AND_DASH:
            marks.append(char)
            spots.append(code)
    spots_class = _character_class(sorted(set(spots))) + "\U00010000-\U0010ffff"
    return _Tables(one_to_one=one_to_one, spots=re.compile(f"[{spots_class}]+"), marks=frozenset(marks))


@functools.lru_cache(maxsize=4096)
def _normalised_spot(piece: str) -> str:
    """NFKC of a spot, then the one-character steps (which also reach characters beyond the basic plane)."""
    if len(piece) > 1 and unicodedata.normalize("NFKC", piece[0]).startswith(" "):
        return piece[0] + _normalised_spot(piece[1:])  # a spacing accent, with combining marks on it: kept
    normalised = unicodedata.normalize("NFKC", piece)
    table = _tables().one_to_one
    beyond = [char for char in normalised if char > "\uffff"]
    simplified = _simplified(beyond) if beyond else {}
    return "".join(chr(table[ord(char)]) if char <= "\uffff" else _after_nfkc(char, simplified) for char in normalised)


# ---------------------------------------------------------------------------------------------
# Normalised text, and the way back to the original offsets.

# Edits are applied and recorded this many at a time, so that the work lists stay small however
# many edits a pathological text asks for (a soft hyphen after every letter).
_EDITS_PER_BATCH = 1 << 16
# NFKC makes one character at most 18 long (U+FDFA), so no offset of a step whose input is shorter
# than this reaches 2**31: its offsets fit 32-bit integers, half the room of 64-bit ones.
_SHORT_OFFSETS_BELOW = (2**31 - 1) // 18
# The white-space pass splits the text this many characters at a time (and up to the next visible one).
_WHITE_SPACE_CHUNK_CHARS = 1 << 18


class _Step:
    """One pass that changed the length of the text in places, and how to map offsets back through it.

    Edit i replaced ``before[in_starts[i]:in_ends[i]]`` with what is now at
    ``after[out_starts[i]:out_ends[i]]``; between edits, offsets shift by the edits so far.
    An offset inside a replacement maps to the whole replaced stretch. At a deletion, a start
    maps past the deleted text and an end before it, so a match never begins or ends with
    text that normalising removed. The offsets are arrays of machine integers (a few bytes an
    edit, where a list of Python ints takes over thirty); ``bisect`` searches them as it does lists.
    """

    __slots__ = ("in_ends", "in_starts", "out_ends", "out_starts")

    def __init__(self, in_starts: array, in_ends: array, out_starts: array, out_ends: array):
        self.in_starts = in_starts
        self.in_ends = in_ends
        self.out_starts = out_starts
        self.out_ends = out_ends

    def start_before(self, offset: int) -> int:
        index = bisect_right(self.out_starts, offset) - 1
        if index < 0:
            return offset
        if offset < self.out_ends[index]:
            return self.in_starts[index]
        return self.in_ends[index] + offset - self.out_ends[index]

    def end_before(self, offset: int) -> int:
        index = bisect_left(self.out_starts, offset) - 1
        if index < 0:
            return offset
        if offset <= self.out_ends[index]:
            return self.in_ends[index]
        return self.in_ends[index] + offset - self.out_ends[index]

    @property
    def nbytes(self) -> int:
        return sum(map(sys.getsizeof, (self.in_starts, self.in_ends, self.out_starts, self.out_ends)))


class _Rewrite:
    """One pass's edits of ``text`` (sorted, disjoint), applied a batch at a time: the new text and its _Step.

    A batch is applied with C-level iterators (slices of the text, running sums of the lengths),
    not Python code per edit, and no list is longer than a batch.
    """

    def __init__(self, text: str):
        self._text = text
        typecode = "i" if len(text) < _SHORT_OFFSETS_BELOW else "q"
        self._starts: list[int] = []  # the batch being collected by add()
        self._ends: list[int] = []
        self._replacements: list[str] = []
        self._chunks: list[str] = []  # the new text so far, a batch each
        self._done = 0  # text[:done] is in the chunks
        self._removed = 0  # characters the edits so far removed (less those they added)
        self._step = _Step(*(array(typecode) for _ in range(4)))

    def add(self, start: int, end: int, replacement: str) -> None:
        self._starts.append(start)
        self._ends.append(end)
        self._replacements.append(replacement)
        if len(self._starts) >= _EDITS_PER_BATCH:
            self._add_collected()

    def add_batch(
        self, starts: list[int], ends: list[int], replacements: list[str], between: Iterable[str] | None = None
    ) -> None:
        """Edits after those added so far.

        ``between``, if given, is the text between one edit and the next (one piece fewer than
        edits), for a caller that has it already: else it is cut from the text.
        """
        if not starts:
            return
        step = self._step
        lengths = list(map(len, replacements))
        # Characters removed by the edits so far, after each edit in turn (the first is before them).
        removed = accumulate(map(sub, map(sub, ends, starts), lengths), initial=self._removed)
        next(removed)
        out_ends = list(map(sub, ends, removed))
        step.in_starts.fromlist(starts)
        step.in_ends.fromlist(ends)
        step.out_starts.fromlist(list(map(sub, out_ends, lengths)))
        step.out_ends.fromlist(out_ends)
        self._removed = ends[-1] - out_ends[-1]
        text = self._text
        if between is None:
            between = map(text.__getitem__, map(slice, ends, islice(starts, 1, None)))
        kept = chain((text[self._done : starts[0]],), between)
        self._chunks.append("".join(chain.from_iterable(zip(kept, replacements, strict=True))))
        self._done = ends[-1]

    def _add_collected(self) -> None:
        self.add_batch(self._starts, self._ends, self._replacements)
        self._starts, self._ends, self._replacements = [], [], []

    def result(self) -> tuple[str, _Step | None]:
        """The text after the edits, and the step back (None if there were no edits)."""
        self._add_collected()
        if not self._step.in_starts:
            return self._text, None
        self._chunks.append(self._text[self._done :])
        return "".join(self._chunks), self._step


@dataclass(frozen=True, eq=False)
class NormalisedText:
    """A text in the form quotes are compared in, with the way back to the original's offsets."""

    original: str
    text: str
    _steps: tuple[_Step, ...] = ()

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """The span of ``original`` that ``text[start:end]`` came from (end exclusive)."""
        for step in reversed(self._steps):
            start, end = step.start_before(start), step.end_before(end)
        return start, max(start, end)

    @property
    def nbytes(self) -> int:
        """Roughly the memory it holds: both texts and the offset maps."""
        return sys.getsizeof(self.original) + sys.getsizeof(self.text) + sum(step.nbytes for step in self._steps)

    def __repr__(self) -> str:
        return f"<NormalisedText: {len(self.original):,} characters, {len(self.text):,} normalised>"


def normalise(text: str) -> NormalisedText:
    """Put ``text`` in the form quotes are compared in, keeping the way back to its offsets.

    First every step that maps one character to one, all at once with ``str.translate``: NFKC
    of single characters (full-width and half-width forms), quote marks and dashes, white space
    to a space, traditional to simplified Chinese (OpenCC, character by character). Then the
    passes that change the length, each a compiled regular expression: the spots NFKC makes
    longer or shorter, pinyin notes after Han characters, runs of white space (one space, none
    next to a CJK character). Case is kept: NVIDIA is not Nvidia.
    """
    tables = _tables()
    current = text.translate(tables.one_to_one)
    steps = []

    if not unicodedata.is_normalized("NFKC", current) or _ASTRAL.search(current) is not None:
        rewrite = _Rewrite(current)
        for match in tables.spots.finditer(current):
            start, end = match.span()
            if start > 0 and _is_mark_in(current[start], tables.marks) and current[start - 1] not in _WHITE:
                # The character the marks sit on (never a spot: runs are as long as they go). Not a
                # space, which nothing composes with and which the white-space pass may remove.
                start -= 1
            # One edit per character and the marks on it, and only where NFKC changes something, so
            # that edits stay small: an offset inside an edit maps to the whole of it.
            unit_start = start
            for index in range(start + 1, end + 1):
                if index < end and _is_mark_in(current[index], tables.marks):
                    continue
                piece = current[unit_start:index]
                replacement = _normalised_spot(piece)
                if replacement != piece:
                    rewrite.add(unit_start, index, replacement)
                unit_start = index
        current, step = rewrite.result()
        if step is not None:
            steps.append(step)

    # Most texts have no pinyin note and no white space to change: no rewrite is set up for them.
    if "(" in current and _PINYIN_NOTE.search(current) is not None:
        rewrite = _Rewrite(current)
        for match in _PINYIN_NOTE.finditer(current):
            start = match.start()
            while start > 0 and current[start - 1] == " ":
                start -= 1
            if start > 0 and _is_han(current[start - 1]):
                rewrite.add(start, match.end(), "")
        current, step = rewrite.result()
        if step is not None:
            steps.append(step)

    # re.split with the runs captured: [kept, run, longer run or None, kept, ...], no Python code per
    # run but the choice of what it becomes. A stretch of the text at a time, to bound the lists.
    if _WHITE_SPACE_TO_CHANGE.search(current) is None:
        return NormalisedText(original=text, text=current, _steps=tuple(steps))
    rewrite = _Rewrite(current)
    for chunk_start, chunk_end in _white_space_chunks(current):
        parts = _WHITE_SPACE_TO_CHANGE.split(current[chunk_start:chunk_end])
        if len(parts) == 1:
            continue
        runs = islice(parts, 1, None, 3)
        replacements = [
            " " if longer is not None and " " in run else ""
            for run, longer in zip(runs, islice(parts, 2, None, 3), strict=True)
        ]
        # Where each piece ends, kept stretches and runs in turn: [chunk start, run 0 start, run 0 end, ...].
        ends = list(accumulate(map(len, compress(parts, cycle((1, 1, 0)))), initial=chunk_start))
        rewrite.add_batch(ends[1:-1:2], ends[2::2], replacements, between=islice(parts, 3, len(parts) - 1, 3))
    current, step = rewrite.result()
    if step is not None:
        steps.append(step)

    return NormalisedText(original=text, text=current, _steps=tuple(steps))


def _white_space_chunks(text: str) -> Iterator[tuple[int, int]]:
    """Stretches of ``text`` (start, end) to look for runs of white space in, one after the other.

    Each ends one character after a visible character that the next one starts with: no run
    spans two stretches, and each run has the characters on either side of it in its stretch,
    which decide what it becomes.
    """
    start = 0
    while start + _WHITE_SPACE_CHUNK_CHARS < len(text):
        visible = _NOT_WHITE.search(text, start + _WHITE_SPACE_CHUNK_CHARS)
        if visible is None:
            break
        yield start, visible.start() + 1
        start = visible.start()
    yield start, len(text)


# normalised_snapshot keeps at most this many normalised snapshots, taking at most this much memory
# in all (NormalisedText.nbytes: about twice the text's, more where it has many edits). A
# snapshot too large for that is normalised each time it is asked for.
SNAPSHOT_CACHE_ENTRIES = 3
SNAPSHOT_CACHE_BYTES = 128 * 1024 * 1024


class _SnapshotCache:
    """``normalise(text)``, remembered for the last few snapshots: a snapshot's citations are checked together.

    Bounded by count and by memory (every worker process keeps one), not just by count like
    ``functools.lru_cache``: a 20 MB snapshot takes 40 MB or so once normalised, and over a
    hundred if it has an edit every other character.
    """

    def __init__(self, entries: int, max_bytes: int):
        self.entries = entries
        self.max_bytes = max_bytes
        self._cache: OrderedDict[str, NormalisedText] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def __call__(self, text: str) -> NormalisedText:
        with self._lock:
            normalised = self._cache.get(text)
            if normalised is not None:
                self._cache.move_to_end(text)
                return normalised
        normalised = normalise(text)  # outside the lock: another thread may be anchoring in another snapshot
        size = normalised.nbytes
        if size > self.max_bytes or self.entries < 1:
            return normalised
        with self._lock:
            if text in self._cache:  # normalised meanwhile by another thread
                return self._cache[text]
            self._cache[text] = normalised
            self._bytes += size
            while len(self._cache) > self.entries or self._bytes > self.max_bytes:
                _text, dropped = self._cache.popitem(last=False)
                self._bytes -= dropped.nbytes
        return normalised

    def __len__(self) -> int:
        return len(self._cache)

    def cache_clear(self) -> None:
        with self._lock:
            self._cache.clear()
            self._bytes = 0


normalised_snapshot = _SnapshotCache(SNAPSHOT_CACHE_ENTRIES, SNAPSHOT_CACHE_BYTES)


# ---------------------------------------------------------------------------------------------
# Anchoring.


@dataclass(frozen=True)
class Anchor:
    """Where a quote was found in a snapshot (offsets into the snapshot as archived), and how surely."""

    state: str  # a VerificationState
    start: int | None
    end: int | None
    exact: str
    prefix: str
    suffix: str
    similarity: float | None
    occurrences: int  # places found (counting stops at MAX_PLACES_SCORED + 1), or close matches
    message: str


def anchor_quote(snapshot: str | NormalisedText | None, quote: str, *, prefix: str = "", suffix: str = "") -> Anchor:
    """Find ``quote`` in ``snapshot``: its text, or ``normalised_snapshot(text)`` when anchoring many quotes.

    ``prefix`` and ``suffix`` are the text expected just before and after the quote (any
    length, may be empty); they pick one place when the quote is found at several.
    """
    if snapshot is None:
        return _not_located(VerificationState.NO_SNAPSHOT, "The source has no archived snapshot yet.")
    normalised = snapshot if isinstance(snapshot, NormalisedText) else None
    original = normalised.original if normalised is not None else snapshot
    if not original.strip():
        return _not_located(VerificationState.NO_SNAPSHOT, "The source's archived snapshot is empty.")
    needle = (quote or "").strip()
    if not needle:
        return _not_located(VerificationState.NOT_FOUND, "The citation has no quote to look for.")
    hints = _Hints.of(prefix, suffix)

    anchor = _word_for_word(original, needle, hints)
    if anchor is not None:
        return anchor
    if normalised is None:
        normalised = normalised_snapshot(original)
    normalised_quote = normalise(needle).text.strip()
    if not normalised_quote:
        return _not_located(VerificationState.NOT_FOUND, "The citation's quote has no visible characters.")
    anchor = _after_normalising(normalised, normalised_quote, hints)
    if anchor is not None:
        return anchor
    approximate = APPROXIMATE_MIN_CHARS <= len(normalised_quote) <= min(APPROXIMATE_MAX_CHARS, len(normalised.text))
    if approximate:
        anchor = _approximately(normalised, normalised_quote, hints)
        if anchor is not None:
            return anchor

    if len(needle) > len(original):
        message = (
            f"The quote ({len(needle):,} characters) is longer than the whole snapshot ({len(original):,} characters)."
        )
    elif approximate:
        message = "Not found in the snapshot, even after normalising both texts and allowing for small differences."
    else:
        message = "Not found in the snapshot, even after normalising both texts."
    return _not_located(VerificationState.NOT_FOUND, message)


def _word_for_word(original: str, needle: str, hints: _Hints) -> Anchor | None:
    places = [(start, start + len(needle)) for start in _find_all(original, needle)]
    if not places:
        return None
    count = len(places)
    if count == 1:
        return _located(original, places[0], VerificationState.VERIFIED, 1.0, 1, "Found once, word for word.")
    place = _choose(places, hints, _original_scorer(original, hints))
    if place is None:
        return _ambiguous(count, hints, f"Found {_times(count)}")
    message = f"Found {count} times word for word; the words around the quote say which one is meant."
    return _located(original, place, VerificationState.VERIFIED, 1.0, count, message)


def _after_normalising(normalised: NormalisedText, quote: str, hints: _Hints) -> Anchor | None:
    places = [(start, start + len(quote)) for start in _find_all(normalised.text, quote)]
    if not places:
        return None
    count = len(places)
    if count == 1:
        place = places[0]
        message = f"Found after normalising {NORMALISED_STEPS}."
    else:
        place = _choose(places, hints, _normalised_scorer(normalised.text, hints))
        if place is None:
            return _ambiguous(count, hints, f"Found {_times(count)} after normalising {NORMALISED_STEPS}")
        message = f"Found {count} times after normalising {NORMALISED_STEPS}; the words around the quote say which."
    original_place = normalised.original_span(*place)
    return _located(normalised.original, original_place, VerificationState.NORMALISED, 1.0, count, message)


def _approximately(normalised: NormalisedText, quote: str, hints: _Hints) -> Anchor | None:
    matches = _approximate_matches(normalised.text, quote)
    if not matches:
        return None
    best_distance = matches[0][2]
    closest = [(start, end) for start, end, distance in matches if distance == best_distance]
    if len(closest) == 1:
        place = closest[0]
    else:
        place = _choose(closest, hints, _normalised_scorer(normalised.text, hints))
        if place is None:
            return _ambiguous(len(closest), hints, f"Found {len(closest)} equally close matches")
    similarity = 1 - best_distance / len(quote)
    closest_of = f"the closest of {len(matches)} is" if len(matches) > 1 else "it is"
    message = (
        f"Found a close match but not word for word ({closest_of} {similarity:.0%} similar); "
        "compare the quote with the snapshot."
    )
    original_place = normalised.original_span(*place)
    return _located(
        normalised.original, original_place, VerificationState.APPROXIMATE, similarity, len(matches), message
    )


def _located(
    original: str, place: tuple[int, int], state: str, similarity: float, occurrences: int, message: str
) -> Anchor:
    start, end = place
    return Anchor(
        state=state,
        start=start,
        end=end,
        exact=original[start:end],
        prefix=original[max(0, start - CONTEXT_CHARS) : start],
        suffix=original[end : end + CONTEXT_CHARS],
        similarity=similarity,
        occurrences=occurrences,
        message=message,
    )


def _not_located(state: str, message: str, occurrences: int = 0) -> Anchor:
    return Anchor(
        state=state,
        start=None,
        end=None,
        exact="",
        prefix="",
        suffix="",
        similarity=None,
        occurrences=occurrences,
        message=message,
    )


def _ambiguous(count: int, hints: _Hints, found: str) -> Anchor:
    """Not located: found at ``count`` places and nothing says which. The analyst can only edit
    the quote, so the advice is to quote more of the passage."""
    if hints and count <= MAX_PLACES_SCORED:
        found += ", and the text around the quote when it was last found does not single one out"
    message = f"{found}; quote a longer passage (a few words before or after) to say which one is meant."
    return _not_located(VerificationState.AMBIGUOUS, message, occurrences=count)


def _times(count: int) -> str:
    return f"more than {MAX_PLACES_SCORED:,} times" if count > MAX_PLACES_SCORED else f"{count:,} times"


def _find_all(text: str, needle: str) -> list[int]:
    """Where ``needle`` starts in ``text``, overlaps included, up to MAX_PLACES_SCORED + 1 places.

    Counting stops there: more places are not told apart anyway, and a short quote in a
    repetitive text ("aa" in a million "a") would otherwise list a place for every character.
    """
    starts = []
    position = text.find(needle)
    while position != -1 and len(starts) <= MAX_PLACES_SCORED:
        starts.append(position)
        position = text.find(needle, position + 1)
    return starts


# ---------------------------------------------------------------------------------------------
# Telling places apart with the prefix and suffix hints.


@dataclass(frozen=True)
class _Hints:
    """The text expected just before and after the quote, normalised, white space stripped on the quote's side."""

    prefix: str
    suffix: str

    @classmethod
    def of(cls, prefix: str, suffix: str) -> _Hints:
        return cls(
            prefix=normalise(prefix).text.rstrip() if prefix else "",
            suffix=normalise(suffix).text.lstrip() if suffix else "",
        )

    def __bool__(self) -> bool:
        return bool(self.prefix or self.suffix)

    def agreement(self, before: str, after: str) -> int:
        """How many characters of the hints agree with the text around a place, counted outwards from it."""
        agreeing = 0
        for hint_char, text_char in zip(reversed(self.prefix), reversed(before.rstrip()), strict=False):
            if hint_char != text_char:
                break
            agreeing += 1
        for hint_char, text_char in zip(self.suffix, after.lstrip(), strict=False):
            if hint_char != text_char:
                break
            agreeing += 1
        return agreeing


def _choose(places: list[tuple[int, int]], hints: _Hints, agreement) -> tuple[int, int] | None:
    """The one place the hints agree with best, if there is exactly one and they agree with it at all."""
    if not hints or len(places) > MAX_PLACES_SCORED:
        return None
    scores = [agreement(start, end) for start, end in places]
    best = max(scores)
    if best <= 0 or scores.count(best) > 1:
        return None
    return places[scores.index(best)]


def _original_scorer(original: str, hints: _Hints):
    """Agreement of the hints with the text around a place of the original, compared in normalised form."""
    # Normalising may shorten the text (pinyin notes, white space): take more than the hints' length.
    before_chars = 2 * len(hints.prefix) + 16
    after_chars = 2 * len(hints.suffix) + 16

    def agreement(start: int, end: int) -> int:
        before = normalise(original[max(0, start - before_chars) : start]).text if hints.prefix else ""
        after = normalise(original[end : end + after_chars]).text if hints.suffix else ""
        return hints.agreement(before, after)

    return agreement


def _normalised_scorer(text: str, hints: _Hints):
    """Agreement of the hints with the text around a place of the normalised text."""
    before_chars = len(hints.prefix) + 8
    after_chars = len(hints.suffix) + 8

    def agreement(start: int, end: int) -> int:
        return hints.agreement(text[max(0, start - before_chars) : start], text[end : end + after_chars])

    return agreement


# ---------------------------------------------------------------------------------------------
# Approximate matching.


def _approximate_matches(text: str, quote: str) -> list[tuple[int, int, int]]:
    """Places in ``text`` within the threshold's edit distance of ``quote``, closest first: (start, end, distance).

    Bounded work on a large text: the quote is cut into pieces, each piece is looked for word
    for word, rarest first and a few hits each; each hit votes for where the quote would start,
    a vote weighing less the more often its piece occurs (boilerplate says little); the quote is
    aligned only in a window around the few places with the most weight behind them.
    """
    length = len(quote)
    most_edits = int(length * (1 - APPROXIMATE_THRESHOLD) + 1e-9)
    # Short pieces spread over the quote, so that some fall between the edits even in a long quote.
    piece_count = max(4, min(APPROXIMATE_MAX_PIECES, length // 8))
    piece_length = min(length // piece_count, APPROXIMATE_PIECE_CHARS)
    step = (length - piece_length) / (piece_count - 1)
    offsets = [round(index * step) for index in range(piece_count)]
    pieces = [(offset, quote[offset : offset + piece_length]) for offset in offsets]
    counted = sorted((text.count(piece), index, offset, piece) for index, (offset, piece) in enumerate(pieces))
    votes = []  # (where the quote would start, which piece says so, how much that piece counts)
    for count, index, offset, piece in counted:  # rarest first: a piece found at many places says little
        if count == 0:
            continue
        if len(votes) >= APPROXIMATE_MAX_VOTES:
            break
        position = text.find(piece)
        hits = 0
        while position != -1 and hits < APPROXIMATE_MAX_HITS_PER_PIECE:
            votes.append((position - offset, index, 1 / count))
            hits += 1
            position = text.find(piece, position + 1)
    if not votes:
        return []

    # Votes for nearby starts are for the same place: edits inside the quote shift them a little.
    votes.sort()
    tolerance = most_edits + 8
    clusters: list[tuple[int, int, dict[int, float]]] = []  # first start, last start, weight of each piece
    for start, index, weight in votes:
        if clusters and start - clusters[-1][0] <= tolerance:
            first, _last, pieces = clusters[-1]
            clusters[-1] = (first, start, pieces)
        else:
            pieces = {}
            clusters.append((start, start, pieces))
        pieces[index] = weight
    clusters.sort(key=lambda cluster: sum(cluster[2].values()), reverse=True)

    matches = []
    for first, last, _pieces in clusters[:APPROXIMATE_MAX_CANDIDATES]:
        window_start = max(0, first - most_edits)
        window = text[window_start : min(len(text), last + length + most_edits)]
        start, end, distance = _closest_substring(quote, window)
        if distance <= most_edits:
            matches.append((window_start + start, window_start + end, distance))

    matches.sort(key=lambda match: (match[2], match[0]))
    distinct: list[tuple[int, int, int]] = []
    for match in matches:  # two windows may have found the same place
        if all(match[1] <= kept[0] or match[0] >= kept[1] for kept in distinct):
            distinct.append(match)
    return distinct


def _closest_substring(quote: str, window: str) -> tuple[int, int, int]:
    """The substring of ``window`` with the least edit distance to ``quote``: (start, end, distance).

    Two passes of Myers' bit-parallel algorithm: the first finds where the best substring ends
    and its distance; the second, run backwards from that end, where it starts (the shortest
    of the equally good). Aligning the whole quote to the whole window (diff-match-patch's
    diff_main) was tried first: it happily matches the quote's first letters with stray letters
    at the start of the window and so stretches the span.
    """
    if not window:
        return 0, 0, len(quote)
    distances = _edit_distances(quote, window, free_start=True)
    best = min(distances)
    end = distances.index(best) + 1
    backwards = _edit_distances(quote[::-1], window[:end][::-1], free_start=False)
    length = backwards.index(min(backwards)) + 1
    return end - length, end, best


def _edit_distances(pattern: str, text: str, *, free_start: bool) -> list[int]:
    """For each end position in ``text``, the edit distance from ``pattern`` to the text ending there.

    With ``free_start``, to the best substring ending there; without, to the whole prefix of
    the text. Myers (1999) in Hyyrö's formulation: one column of the edit-distance table per
    character of the text, as bit vectors (Python integers of any length).
    """
    length = len(pattern)
    all_bits = (1 << length) - 1
    last_bit = 1 << (length - 1)
    equal: dict[str, int] = {}
    for index, char in enumerate(pattern):
        equal[char] = equal.get(char, 0) | (1 << index)
    positive, negative, score = all_bits, 0, length
    carry = 0 if free_start else 1
    distances = []
    for char in text:
        matches = equal.get(char, 0)
        vertical = matches | negative
        horizontal = (((matches & positive) + positive) ^ positive) | matches
        horizontal_positive = negative | (~(horizontal | positive) & all_bits)
        horizontal_negative = positive & horizontal
        if horizontal_positive & last_bit:
            score += 1
        elif horizontal_negative & last_bit:
            score -= 1
        horizontal_positive = ((horizontal_positive << 1) | carry) & all_bits
        horizontal_negative = (horizontal_negative << 1) & all_bits
        positive = horizontal_negative | (~(vertical | horizontal_positive) & all_bits)
        negative = horizontal_positive & vertical
        distances.append(score)
    return distances


def describe_counts(counts: dict[str, int]) -> str:
    """How many citations ended in each state, in words: "12 verified, 1 not found"."""
    return ", ".join(f"{count} {VerificationState(state).label.lower()}" for state, count in sorted(counts.items()))
