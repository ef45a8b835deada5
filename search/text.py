"""Text to search tokens: one tokenizer for the index and the query, on both databases.

The database never tokenizes: PostgreSQL's ``simple`` configuration and SQLite's
``unicode61`` tokenizer only split the space-separated tokens made here. So both databases
see the same tokens and find the same pages, and their differences (PostgreSQL's parser
keeps a whole run of Chinese characters as one word; FTS5's trigram tokenizer cannot look
for two characters) stop mattering.

Folding puts text in one form first: the normalising quotes are anchored with (width,
quote marks, pinyin notes, traditional to simplified Chinese with OpenCC), then case and
the accents of Latin letters. Then:

- a run of Latin letters and digits is a word; English words are stemmed (Snowball, as
  PostgreSQL's ``english`` configuration does), so "socket" finds "socketed";
- a run of Chinese (or Japanese) characters becomes its overlapping pairs of characters
  and its last character: 英伟达 → 英伟 伟达 达. A two-character word such as 推理 is one
  token, a longer query is a phrase of consecutive pairs, and a single character is a
  prefix (达 finds 达 and 达成).
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass

import snowballstemmer

from intel.anchoring import normalise

# The longest query taken: a name, a phrase, a pasted sentence. Longer is refused with a message.
MAX_QUERY_CHARS = 200
# Words of a query (after dropping common English words); more is refused with a message.
MAX_QUERY_TERMS = 16
# Of a page's long texts (a source's archived copy), the first characters indexed.
MAX_INDEXED_CHARS = 100_000
# Tokens longer than this are not words (hashes, base64): neither indexed nor searched.
MAX_TOKEN_CHARS = 64

# Han (with extensions and compatibility forms), kana, bopomofo, CJK punctuation letters:
# scripts written without spaces between words.
CJK_CHARS = (
    "\u3040-\u30ff\u3100-\u312f\u31a0-\u31bf\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
)
_TOKEN_RUN = re.compile(rf"(?P<cjk>[{CJK_CHARS}]+)|(?P<word>[^\W_{CJK_CHARS}]+)")
_LATIN_WORD = re.compile(r"[a-z]+")

# The Snowball stop list for English (the one PostgreSQL's english configuration uses). A
# query drops them when it has other words; the index keeps them, so "The Information" is found.
STOP_WORDS = frozenset(
    """
    i me my myself we our ours ourselves you your yours yourself yourselves he him his himself she
    her hers herself it its itself they them their theirs themselves what which who whom this that
    these those am is are was were be been being have has had having do does did doing a an the and
    but if or because as until while of at by for with about against between into through during
    before after above below to from up down in out on off over under again further then once here
    there when where why how all any both each few more most other some such no nor not only own
    same so than too very s t can will just don should now
    """.split()
)


class QueryError(ValueError):
    """A query that cannot be searched for, with a message for the person who typed it."""


@functools.cache
def latin_marks_table() -> dict[int, str]:
    """Accented Latin letters to their base letters (é → e, ß stays: casefold made it ss)."""
    table = {}
    for code in (*range(0x00C0, 0x0250), *range(0x1E00, 0x1F00)):
        char = chr(code)
        base = "".join(c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c))
        if base != char and base.isascii() and base.isalpha():
            table[code] = base
    return table


def fold(text: str) -> str:
    """``text`` in the one form the index and queries share (see the module docstring)."""
    return normalise(text).text.casefold().translate(latin_marks_table())


@functools.cache
def _stemmer():
    return snowballstemmer.stemmer("english")


@functools.lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """The Snowball stem of an English (ASCII letters) word; anything else as it is."""
    return _stemmer().stemWord(word) if _LATIN_WORD.fullmatch(word) else word


def cjk_grams(run: str) -> list[str]:
    """A run of Chinese characters as its overlapping pairs and its last character."""
    if len(run) == 1:
        return [run]
    return [run[i : i + 2] for i in range(len(run) - 1)] + [run[-1]]


def index_tokens(text: str) -> str:
    """The space-separated tokens the databases index for ``text``."""
    if len(text) > MAX_INDEXED_CHARS:
        text = text[:MAX_INDEXED_CHARS]
    tokens = []
    for cjk, word in _TOKEN_RUN.findall(fold(text)):  # one of the two is the run, the other empty
        if cjk:
            tokens.extend(cjk_grams(cjk))
        elif len(word) <= MAX_TOKEN_CHARS:
            tokens.append(stem(word))
    return " ".join(tokens)


# The longest name key stored (SearchName.name): longer names are compared by their start.
MAX_NAME_CHARS = 300


def name_key(text: str) -> str:
    """A name as it is compared whole: folded, its words unstemmed, punctuation gone ("ZT-Systems" → "zt systems")."""
    return " ".join(match.group() for match in _TOKEN_RUN.finditer(fold(text)))[:MAX_NAME_CHARS].strip()


def name_words(text: str) -> list[str]:
    """The words of a name worth a typo-tolerant match of their own (3 to 64 letters, not digits)."""
    return [
        match.group()
        for match in _TOKEN_RUN.finditer(fold(text))
        if match.lastgroup == "word" and 3 <= len(match.group()) <= MAX_TOKEN_CHARS and not match.group().isdigit()
    ]


@dataclass(frozen=True)
class Term:
    """One thing a page must contain: a word, a phrase of Chinese pairs, or a prefix.

    ``tokens`` are matched as consecutive tokens (one for a word); ``prefix`` is a word
    start that also matches, for the word being typed and for single Chinese characters.
    """

    tokens: tuple[str, ...]
    prefix: str = ""
    original: str = ""  # the folded word or Chinese run as typed, for highlighting
    cjk: bool = False


@dataclass(frozen=True)
class SearchQuery:
    """What was typed, as the terms every page must contain and as a name key for name matches."""

    text: str  # as typed, trimmed
    terms: tuple[Term, ...]
    key: str  # the whole query as a name key, for exact and typo-tolerant name matches
    fuzzy: bool  # worth a typo-tolerant match on names (Latin, four letters or more)


def parse_query(raw: str, *, min_prefix: int = 3) -> SearchQuery:
    """The query behind what someone typed, or QueryError saying what to type instead.

    The last word also matches as the start of a word from ``min_prefix`` letters (search-as-you-type
    asks for 2: "nv" offers Nvidia).
    """
    text = " ".join((raw or "").split())
    if not text:
        raise QueryError("Type something to search for.")
    if len(text) > MAX_QUERY_CHARS:
        raise QueryError(f"Search for at most {MAX_QUERY_CHARS} characters (this is {len(text):,}).")
    runs = [(match.lastgroup, match.group()) for match in _TOKEN_RUN.finditer(fold(text))]
    if any(group == "word" and len(run) > MAX_TOKEN_CHARS for group, run in runs):
        raise QueryError(f"Words are at most {MAX_TOKEN_CHARS} letters and digits long: split or shorten the long one.")
    if not runs:
        raise QueryError("Search for letters, digits or Chinese characters: punctuation alone matches nothing.")
    words = [run for group, run in runs if group == "word"]
    if any(word not in STOP_WORDS for word in words) or any(group == "cjk" for group, _ in runs):
        runs = [(group, run) for group, run in runs if group == "cjk" or run not in STOP_WORDS]
    if len(runs) > MAX_QUERY_TERMS:
        raise QueryError(f"Search for at most {MAX_QUERY_TERMS} words (this has {len(runs)}).")
    terms = []
    for index, (group, run) in enumerate(runs):
        last = index == len(runs) - 1
        if group == "cjk":
            if len(run) == 1:
                terms.append(Term(tokens=(), prefix=run, original=run, cjk=True))
            else:
                pairs = tuple(cjk_grams(run)[:-1])  # the pairs, in order, without the last character
                terms.append(Term(tokens=pairs, original=run, cjk=True))
        else:
            # The last word may be unfinished ("blackwel"): its start matches too.
            prefix = run if last and len(run) >= min_prefix and not run.isdigit() else ""
            terms.append(Term(tokens=(stem(run),), prefix=prefix, original=run))
    key = name_key(text)
    fuzzy = len(key) >= 4 and not any(group == "cjk" for group, _ in runs) and len(runs) <= 3
    return SearchQuery(text=text, terms=tuple(terms), key=key, fuzzy=fuzzy)
