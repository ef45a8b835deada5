"""Word-level diffs between two revisions of a text, for history pages.

A text is split into tokens: a run of Latin letters and digits is one token, each CJK
character is its own token (Chinese has no spaces, so a changed character shows as one
character, not as the whole sentence), any other run of whitespace is one token and any
other character is its own token. A word carries the spaces after it: otherwise the
matcher happily aligns the single spaces between words and shows "product cadence" →
"cadence of" as two replaced words instead of one deleted and two added. The diff is difflib's on those tokens.

difflib's matcher is slow on long token lists: ordinary prose has a whitespace token
between every two words, and two rewritten texts of 2,000 words take about a second.
So, as MediaWiki does, a diff is taken in two steps: lines (paragraphs, in Markdown)
first, then words inside each changed block of lines. The word step may compare at most
``MAX_WORD_PAIRS`` token pairs in one diff (a tenth of a second); a changed block beyond
what is left is shown as its lines deleted and inserted. The line step lets difflib junk
lines that are very common (blank lines between paragraphs) and, beyond
``MAX_LINE_PAIRS``, shows the differing middle of the texts as one deletion and one
insertion. Measured: half a second for two texts of 300,000 words, most of it tokenizing.
"""

import difflib
import re
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

EQUAL = "equal"
INSERT = "insert"
DELETE = "delete"

# Token pairs the word step may compare in one diff: about a tenth of a second.
MAX_WORD_PAIRS = 2_000_000
# Line pairs the line step may compare (after the common first and last lines are set aside).
MAX_LINE_PAIRS = 25_000_000

# Han (with extension A, the compatibility block and the supplementary planes), kana,
# hangul, bopomofo, CJK radicals, symbols and punctuation, and full-width and half-width forms.
_CJK = (
    "\u1100-\u11ff"  # hangul jamo
    "\u2e80-\u2fdf"  # CJK radicals, Kangxi radicals
    "\u3000-\u303f"  # CJK symbols and punctuation
    "\u3040-\u30ff"  # hiragana, katakana
    "\u3100-\u31ff"  # bopomofo, hangul compatibility jamo, kanbun, CJK strokes, katakana extension
    "\u3200-\u4dbf"  # enclosed CJK, CJK compatibility, Han extension A
    "\u4e00-\u9fff"  # Han
    "\ua960-\ua97f"  # hangul jamo extended A
    "\uac00-\ud7ff"  # hangul syllables, jamo extended B
    "\uf900-\ufaff"  # Han compatibility ideographs
    "\ufe30-\ufe4f"  # CJK compatibility forms
    "\uff00-\uffef"  # full-width and half-width forms
    "\U00020000-\U0003ffff"  # Han extensions B and beyond
)
_TOKEN = re.compile(
    rf"[{_CJK}]"  # one CJK character
    rf"|(?:[^\W{_CJK}]|[\u0300-\u036f])+[ \t]*"  # a word (\w without CJK, accents kept) and the spaces after it
    r"|\s+"
    r"|.",
    re.DOTALL,
)


@dataclass(frozen=True)
class DiffOp:
    """One piece of a diff: text both versions share ("equal"), or only the new one has ("insert") or the old."""

    op: str
    text: str


def tokenize(text: str) -> list[str]:
    """The units a diff compares; ``"".join(tokenize(text)) == text`` always."""
    return _TOKEN.findall(text)


def word_diff(old: str, new: str) -> list[DiffOp]:
    """The diff from ``old`` to ``new``, word by word.

    Adjacent changes come as one deletion followed by one insertion, so equal, delete and
    insert texts joined give back ``old``, and equal and insert texts give back ``new``.
    """
    old_lines = old.splitlines(keepends=True)
    new_lines = new.splitlines(keepends=True)
    word_pairs_left = MAX_WORD_PAIRS
    ops: list[DiffOp] = []
    line_blocks, _ = _diff_blocks(old_lines, new_lines, max_pairs=MAX_LINE_PAIRS, autojunk=True)
    for tag, old_block, new_block in line_blocks:
        if tag == EQUAL:
            ops.append(DiffOp(EQUAL, "".join(old_block)))
            continue
        token_blocks, pairs = _diff_blocks(
            tokenize("".join(old_block)),
            tokenize("".join(new_block)),
            max_pairs=word_pairs_left,
            autojunk=False,
            key=_word_key,
        )
        word_pairs_left -= pairs
        for token_tag, old_part, new_part in token_blocks:
            if token_tag == EQUAL:
                ops.extend(_equal_words(old_part, new_part))
            else:
                ops.append(DiffOp(DELETE, "".join(old_part)))
                ops.append(DiffOp(INSERT, "".join(new_part)))
    return _joined(ops)


def diff_html(old: str, new: str) -> SafeString:
    """The diff as HTML: deletions in ``<del>``, insertions in ``<ins>``, every text escaped."""
    pieces = []
    for diff_op in word_diff(old, new):
        text = escape(diff_op.text)
        if diff_op.op == DELETE:
            pieces.append(f"<del>{text}</del>")
        elif diff_op.op == INSERT:
            pieces.append(f"<ins>{text}</ins>")
        else:
            pieces.append(text)
    # Safe: every piece is escaped above.
    return mark_safe("".join(pieces))


def _word_key(token: str) -> str:
    """What two words are compared by: "LPUs" at the end of a text is the same word as "LPUs " before more."""
    return token.rstrip(" \t") or token


def _equal_words(old_part: list[str], new_part: list[str]) -> list[DiffOp]:
    """Matched words, with any change in the spaces after them shown as such."""
    ops = []
    for old_token, new_token in zip(old_part, new_part, strict=True):
        if old_token == new_token:
            ops.append(DiffOp(EQUAL, old_token))
            continue
        word = _word_key(old_token)
        ops += [DiffOp(EQUAL, word), DiffOp(DELETE, old_token[len(word) :]), DiffOp(INSERT, new_token[len(word) :])]
    return ops


def _diff_blocks(
    old: list[str], new: list[str], *, max_pairs: int, autojunk: bool, key=None
) -> tuple[list[tuple[str, list, list]], int]:
    """Blocks (tag, old items, new items), "equal" or "replace" (either side may be empty), and the pairs compared.

    The common first and last items are set aside before difflib runs, since most edits
    change a small part of a text; when what is left holds more than ``max_pairs`` pairs,
    it is one replace block and nothing is compared.
    """
    old_keys = [key(item) for item in old] if key else old
    new_keys = [key(item) for item in new] if key else new
    prefix = 0
    while prefix < len(old) and prefix < len(new) and old_keys[prefix] == new_keys[prefix]:
        prefix += 1
    suffix = 0
    while suffix < len(old) - prefix and suffix < len(new) - prefix and old_keys[-1 - suffix] == new_keys[-1 - suffix]:
        suffix += 1
    old_middle = old[prefix : len(old) - suffix]
    new_middle = new[prefix : len(new) - suffix]
    pairs = len(old_middle) * len(new_middle)

    blocks = []
    if prefix:
        blocks.append((EQUAL, old[:prefix], new[:prefix]))
    if pairs > max_pairs:
        blocks.append(("replace", old_middle, new_middle))
        pairs = 0
    elif old_middle or new_middle:
        matcher = difflib.SequenceMatcher(
            None,
            old_keys[prefix : len(old) - suffix],
            new_keys[prefix : len(new) - suffix],
            autojunk=autojunk,
        )
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            blocks.append((EQUAL if tag == EQUAL else "replace", old_middle[i1:i2], new_middle[j1:j2]))
    if suffix:
        blocks.append((EQUAL, old[len(old) - suffix :], new[len(new) - suffix :]))
    return blocks, pairs


def _joined(ops: list[DiffOp]) -> list[DiffOp]:
    """Drop empty ops and join neighbours: each run of changes becomes one deletion then one insertion."""
    joined: list[DiffOp] = []
    deleted: list[str] = []
    inserted: list[str] = []

    def flush_changes():
        old_text, new_text = "".join(deleted), "".join(inserted)
        # Words carry their trailing spaces; a space both sides end with is shown as unchanged.
        shared = len(old_text) - len(old_text.rstrip(" \t")) if old_text and new_text else 0
        shared = min(shared, len(new_text) - len(new_text.rstrip(" \t")))
        shared_space = old_text[len(old_text) - shared :] if shared else ""
        if shared_space != (new_text[len(new_text) - shared :] if shared else ""):
            shared_space = ""
        if shared_space:
            old_text, new_text = old_text[: -len(shared_space)], new_text[: -len(shared_space)]
        if old_text:
            joined.append(DiffOp(DELETE, old_text))
        if new_text:
            joined.append(DiffOp(INSERT, new_text))
        if shared_space:
            joined.append(DiffOp(EQUAL, shared_space))
        deleted.clear()
        inserted.clear()

    for diff_op in ops:
        if not diff_op.text:
            continue
        if diff_op.op == DELETE:
            deleted.append(diff_op.text)
        elif diff_op.op == INSERT:
            inserted.append(diff_op.text)
        else:
            flush_changes()
            if joined and joined[-1].op == EQUAL:
                joined[-1] = DiffOp(EQUAL, joined[-1].text + diff_op.text)
            else:
                joined.append(diff_op)
    flush_changes()
    return joined
