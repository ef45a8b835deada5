"""Word-level diffs for history pages: words in Latin text, characters in Chinese, and
always pieces that rebuild both versions exactly."""

import random
import time

import pytest
from django.utils.safestring import SafeString

from intel import diffing
from intel.diffing import DiffOp, diff_html, tokenize, word_diff


def _old_and_new(ops):
    old = "".join(diff_op.text for diff_op in ops if diff_op.op != "insert")
    new = "".join(diff_op.text for diff_op in ops if diff_op.op != "delete")
    return old, new


@pytest.mark.parametrize(
    "text",
    [
        "Nvidia's 2024 revenue was 130.5 bn USD.",
        "英伟达发布了新的GPU架构。",
        "Huawei 华为 Ascend 910C，性能 +30%\n\n第二段 second paragraph\r\n",
        "Launch 🚀 soon 👩‍💻 ✅",
        "",
        "  \t\n ",
        "café naïve résumé",
    ],
)
def test_tokens_join_back_into_the_text(text):
    assert "".join(tokenize(text)) == text


def test_latin_words_with_their_spaces_whitespace_runs_and_punctuation_are_tokens():
    assert tokenize("H100 ships,  2024-Q3.\n") == ["H100 ", "ships", ",", "  ", "2024", "-", "Q3", ".", "\n"]


def test_a_reworded_phrase_keeps_the_shared_word_unchanged():
    ops = word_diff("a yearly product cadence and", "a yearly cadence of GPUs and")
    assert [(op.op, op.text) for op in ops] == [
        ("equal", "a yearly "),
        ("delete", "product "),
        ("equal", "cadence "),
        ("insert", "of GPUs "),
        ("equal", "and"),
    ]


def test_each_cjk_character_is_its_own_token():
    assert tokenize("英伟达H100。ソニー삼성") == ["英", "伟", "达", "H100", "。", "ソ", "ニ", "ー", "삼", "성"]


def test_full_width_forms_are_single_characters():
    assert tokenize("ＧＰＵ，") == ["Ｇ", "Ｐ", "Ｕ", "，"]


def test_accented_words_stay_one_token():
    decomposed = "cafe\u0301"
    assert tokenize(f"{decomposed} naïve") == [decomposed + " ", "naïve"]


def test_one_word_changed_in_a_sentence_is_one_deletion_and_one_insertion_of_that_word():
    ops = word_diff("Nvidia ships the H100 in Q3.", "Nvidia ships the H200 in Q3.")
    assert ops == [
        DiffOp("equal", "Nvidia ships the "),
        DiffOp("delete", "H100"),
        DiffOp("insert", "H200"),
        DiffOp("equal", " in Q3."),
    ]


def test_chinese_changes_show_only_the_changed_characters():
    ops = word_diff("英伟达发布了新芯片", "英偉達发布了新芯片")
    assert ops == [
        DiffOp("equal", "英"),
        DiffOp("delete", "伟达"),
        DiffOp("insert", "偉達"),
        DiffOp("equal", "发布了新芯片"),
    ]


def test_a_paragraph_added_between_others_is_one_insertion():
    old = "First paragraph.\n\nThird paragraph.\n"
    new = "First paragraph.\n\nSecond paragraph.\n\nThird paragraph.\n"
    ops = word_diff(old, new)
    assert [diff_op.op for diff_op in ops] == ["equal", "insert", "equal"]
    assert _old_and_new(ops) == (old, new)


def test_identical_texts_are_one_equal_piece_and_empty_texts_no_piece():
    assert word_diff("Same text.\n", "Same text.\n") == [DiffOp("equal", "Same text.\n")]
    assert word_diff("", "") == []
    assert word_diff("", "New") == [DiffOp("insert", "New")]
    assert word_diff("Old", "") == [DiffOp("delete", "Old")]


def test_html_escapes_every_piece_inside_del_and_ins():
    html = diff_html("<i>Note</i>: R&D up", "<i>Note</i>: <script>alert(1)</script> up")
    assert isinstance(html, SafeString)
    assert html == ("&lt;i&gt;Note&lt;/i&gt;: <del>R&amp;D</del><ins>&lt;script&gt;alert(1)&lt;/script&gt;</ins> up")


def test_html_of_a_one_word_change():
    assert diff_html("a cat sat", "a dog sat") == "a <del>cat</del><ins>dog</ins> sat"


_ALPHABET = ["Nvidia", "GPU", "H100", "ships", "the", "in", " ", "  ", "\n", "\n\n", ",", ".", "英", "伟", "达", "🚀"]


def _random_text(rng, length):
    return "".join(rng.choice(_ALPHABET) for _ in range(length))


def _random_edit(rng, text):
    tokens = tokenize(text)
    for _ in range(rng.randint(0, 6)):
        position = rng.randint(0, len(tokens))
        action = rng.choice(["insert", "delete", "replace"])
        if action == "insert" or not tokens:
            tokens.insert(position, rng.choice(_ALPHABET))
        elif action == "delete":
            del tokens[min(position, len(tokens) - 1)]
        else:
            tokens[min(position, len(tokens) - 1)] = rng.choice(_ALPHABET)
    return "".join(tokens)


def test_equal_and_deleted_pieces_rebuild_old_and_equal_and_inserted_pieces_rebuild_new():
    rng = random.Random(20240601)
    for _ in range(300):
        old = _random_text(rng, rng.randint(0, 40))
        new = _random_edit(rng, old) if rng.random() < 0.8 else _random_text(rng, rng.randint(0, 40))
        ops = word_diff(old, new)
        assert _old_and_new(ops) == (old, new)
        assert all(diff_op.text for diff_op in ops)
        kinds = [diff_op.op for diff_op in ops]
        # Neighbours differ, and a run of changes is one deletion then one insertion.
        assert all(kinds[i] != kinds[i + 1] for i in range(len(kinds) - 1))
        assert all(not (kinds[i] == "insert" and kinds[i + 1] == "delete") for i in range(len(kinds) - 1))


def test_texts_beyond_the_word_budget_are_diffed_by_lines(monkeypatch):
    monkeypatch.setattr(diffing, "MAX_WORD_PAIRS", 10)
    old = "Alpha beta gamma delta epsilon.\nZeta eta theta.\n"
    new = "Alpha beta gamma delta epsilon!\nZeta eta theta.\n"
    ops = word_diff(old, new)
    assert ops == [
        DiffOp("equal", "Alpha beta gamma delta epsilon"),
        DiffOp("delete", "."),
        DiffOp("insert", "!"),
        DiffOp("equal", "\nZeta eta theta.\n"),
    ]
    # Two changes far apart leave a middle too big for the budget: its lines are shown replaced.
    new = "Alpha beta gamma delta epsilon!\nZeta eta theta?\n"
    ops = word_diff(old, new)
    assert ops == [
        DiffOp("equal", "Alpha beta gamma delta epsilon"),
        DiffOp("delete", ".\nZeta eta theta."),
        DiffOp("insert", "!\nZeta eta theta?"),
        DiffOp("equal", "\n"),
    ]


def test_a_large_text_is_diffed_quickly_and_still_rebuilds_both_versions():
    rng = random.Random(7)
    words = ["".join(rng.choice("abcdefghij") for _ in range(rng.randint(2, 8))) for _ in range(2000)]
    paragraphs = [" ".join(rng.choice(words) for _ in range(100)) for _ in range(2000)]
    old = "\n\n".join(paragraphs)  # 200,000 words, 400,000 tokens
    rewritten = "\n\n".join(" ".join(rng.choice(words) for _ in range(100)) for _ in range(2000))
    edited_paragraphs = list(paragraphs)
    for index in (5, 900, 1999):
        edited_paragraphs[index] = edited_paragraphs[index].replace(" ", " new ", 1)
    edited = "\n\n".join(edited_paragraphs)

    started = time.perf_counter()
    edited_ops = word_diff(old, edited)
    rewritten_ops = word_diff(old, rewritten)
    # Well under a second each on a laptop; a plain word diff of these takes hours.
    assert time.perf_counter() - started < 10
    assert _old_and_new(edited_ops) == (old, edited)
    assert [diff_op.text.strip() for diff_op in edited_ops if diff_op.op != "equal"] == ["new", "new", "new"]
    assert _old_and_new(rewritten_ops) == (old, rewritten)
