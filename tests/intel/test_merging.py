"""Three-way merges of concurrent edits: what only one side changed is kept, texts merge
paragraph by paragraph, links merge as sets, and the rest is a conflict to settle."""

import pytest

from intel.merging import FieldConflict, merge_rows, merge_text, merge_values

BASE = "Nvidia leads AI accelerators.\n\nAMD ships the MI300X.\n\nIntel ships Gaudi 3.\n"


# merge_text


def test_edits_to_different_paragraphs_merge():
    mine = BASE.replace("leads AI accelerators", "leads data-centre AI accelerators")
    theirs = BASE.replace("Gaudi 3", "Gaudi 3 in 2024")
    assert merge_text(BASE, mine, theirs) == (
        "Nvidia leads data-centre AI accelerators.\n\nAMD ships the MI300X.\n\nIntel ships Gaudi 3 in 2024.\n"
    )


def test_same_paragraph_edited_twice_is_a_conflict():
    mine = BASE.replace("MI300X", "MI325X")
    theirs = BASE.replace("MI300X", "MI300A")
    assert merge_text(BASE, mine, theirs) is None


def test_neighbouring_lines_edited_on_each_side_are_a_conflict():
    base = "- H100\n- H200\n"
    assert merge_text(base, "- H100 SXM\n- H200\n", "- H100\n- H200 NVL\n") is None


def test_identical_edits_on_both_sides_are_not_a_conflict():
    mine = BASE.replace("MI300X", "MI325X")
    assert merge_text(BASE, mine, mine) == mine


def test_identical_edit_of_one_paragraph_merges_with_another_paragraph_edited_on_one_side():
    both = BASE.replace("MI300X", "MI325X")
    theirs = both.replace("Gaudi 3", "Gaudi 3 in 2024")
    assert merge_text(BASE, both, theirs) == theirs


def test_a_side_left_unchanged_takes_the_other_sides_text():
    edited = BASE.replace("Gaudi 3", "Gaudi 3 in 2024")
    assert merge_text(BASE, BASE, edited) == edited
    assert merge_text(BASE, edited, BASE) == edited


def test_windows_line_ends_are_normalised_before_merging():
    crlf_base = BASE.replace("\n", "\r\n")
    mine = crlf_base.replace("leads", "still leads")
    theirs = BASE.replace("Gaudi 3", "Gaudi 3 in 2024")
    assert merge_text(crlf_base, mine, theirs) == (
        "Nvidia still leads AI accelerators.\n\nAMD ships the MI300X.\n\nIntel ships Gaudi 3 in 2024.\n"
    )


def test_a_browser_resubmitting_the_base_with_crlf_counts_as_unchanged():
    theirs = BASE.replace("Gaudi 3", "Gaudi 3 in 2024")
    assert merge_text(BASE, BASE.replace("\n", "\r\n"), theirs) == theirs


def test_paragraphs_added_at_both_ends_merge():
    base = "AMD ships the MI300X."
    mine = "AMD ships the MI300X.\n\nMI400 due 2026."
    theirs = "Nvidia leads.\n\nAMD ships the MI300X."
    assert merge_text(base, mine, theirs) == "Nvidia leads.\n\nAMD ships the MI300X.\n\nMI400 due 2026."


def test_paragraphs_added_at_the_same_end_on_both_sides_are_a_conflict():
    assert merge_text(BASE, BASE + "\nMine.\n", BASE + "\nTheirs.\n") is None


def test_the_merged_text_ends_like_the_side_that_changed_its_ending():
    base = "One.\n\nTwo."
    mine = "One!\n\nTwo."
    theirs = "One.\n\nTwo.\n"
    assert merge_text(base, mine, theirs) == "One!\n\nTwo.\n"


def test_long_texts_with_many_blank_lines_still_line_up_by_paragraph():
    paragraphs = [f"Paragraph {number}." for number in range(300)]
    base = "\n\n".join(paragraphs)
    mine = base.replace("Paragraph 10.", "Paragraph ten.")
    theirs = base.replace("Paragraph 250.", "Paragraph two hundred fifty.")
    merged = merge_text(base, mine, theirs)
    assert merged == base.replace("Paragraph 10.", "Paragraph ten.").replace(
        "Paragraph 250.", "Paragraph two hundred fifty."
    )


# merge_values


def test_field_unchanged_in_mine_takes_theirs_and_is_reported_merged():
    result = merge_values({"status": "draft"}, {"status": "draft"}, {"status": "published"})
    assert result.clean
    assert result.values == {"status": "published"}
    assert result.merged_fields == ["status"]


def test_field_unchanged_in_theirs_keeps_mine():
    result = merge_values({"status": "draft"}, {"status": "published"}, {"status": "draft"})
    assert result.clean
    assert result.values == {"status": "published"}
    assert result.merged_fields == []


def test_the_same_change_on_both_sides_keeps_mine():
    result = merge_values({"year": 2024}, {"year": 2025}, {"year": 2025})
    assert result.clean
    assert result.values == {"year": 2025}
    assert result.merged_fields == []


def test_fields_changed_on_different_sides_merge():
    base = {"name": "H100", "year": 2022, "status": "draft"}
    mine = {"name": "H100 SXM", "year": 2022, "status": "draft"}
    theirs = {"name": "H100", "year": 2023, "status": "draft"}
    result = merge_values(base, mine, theirs)
    assert result.clean
    assert result.values == {"name": "H100 SXM", "year": 2023, "status": "draft"}
    assert result.merged_fields == ["year"]


def test_a_field_missing_from_base_counts_as_none():
    result = merge_values({}, {"note": None}, {"note": "Added by them"})
    assert result.values == {"note": "Added by them"}


def test_a_field_changed_differently_on_both_sides_is_a_conflict_listing_all_three_values():
    result = merge_values({"year": 2024}, {"year": 2025}, {"year": 2026})
    assert not result.clean
    assert result.conflicts == [FieldConflict("year", base=2024, mine=2025, theirs=2026)]
    assert result.values == {"year": 2025}


def test_a_text_field_edited_in_different_paragraphs_merges():
    mine = BASE.replace("leads", "still leads")
    theirs = BASE.replace("Gaudi 3", "Gaudi 3 in 2024")
    result = merge_values({"statement": BASE}, {"statement": mine}, {"statement": theirs}, text_fields=["statement"])
    assert result.clean
    assert result.values["statement"] == mine.replace("Gaudi 3", "Gaudi 3 in 2024")
    assert result.merged_fields == ["statement"]


def test_a_text_field_edited_in_the_same_paragraph_is_a_conflict():
    mine = BASE.replace("MI300X", "MI325X")
    theirs = BASE.replace("MI300X", "MI300A")
    result = merge_values({"statement": BASE}, {"statement": mine}, {"statement": theirs}, text_fields=["statement"])
    assert result.conflicts == [FieldConflict("statement", base=BASE, mine=mine, theirs=theirs)]


def test_a_text_not_listed_in_text_fields_is_a_conflict_when_both_changed_it():
    mine = BASE.replace("leads", "still leads")
    theirs = BASE.replace("Gaudi 3", "Gaudi 3 in 2024")
    result = merge_values({"statement": BASE}, {"statement": mine}, {"statement": theirs})
    assert [conflict.name for conflict in result.conflicts] == ["statement"]


def test_set_fields_combine_additions_and_removals_from_both_sides_as_a_sorted_list():
    result = merge_values(
        {"companies": [1, 2, 3]}, {"companies": [3, 2, 7]}, {"companies": [1, 2, 3, 5]}, set_fields=["companies"]
    )
    assert result.clean
    assert result.values == {"companies": [2, 3, 5, 7]}
    assert result.merged_fields == ["companies"]


def test_set_fields_never_conflict_even_when_one_side_removes_what_the_other_keeps():
    result = merge_values({"products": [1, 2]}, {"products": []}, {"products": [1, 2, 4]}, set_fields=["products"])
    assert result.clean
    assert result.values == {"products": [4]}


def test_a_set_field_only_mine_changed_is_not_reported_merged():
    result = merge_values({"products": [1]}, {"products": [2, 1]}, {"products": [1]}, set_fields=["products"])
    assert result.values == {"products": [1, 2]}
    assert result.merged_fields == []


def test_a_list_not_listed_in_set_fields_is_a_conflict_when_both_changed_it():
    result = merge_values({"tags": [1]}, {"tags": [1, 2]}, {"tags": [1, 3]})
    assert result.conflicts == [FieldConflict("tags", base=[1], mine=[1, 2], theirs=[1, 3])]


def test_conflicts_and_clean_fields_are_reported_together():
    base = {"name": "MI300X", "year": 2023, "note": "a"}
    mine = {"name": "MI325X", "year": 2023, "note": "b"}
    theirs = {"name": "MI300A", "year": 2024, "note": "a"}
    result = merge_values(base, mine, theirs)
    assert result.values == {"name": "MI325X", "year": 2024, "note": "b"}
    assert result.conflicts == [FieldConflict("name", base="MI300X", mine="MI325X", theirs="MI300A")]
    assert result.merged_fields == ["year"]


# merge_rows


def _citation(row_id, locator, quote=""):
    return {"id": row_id, "source": 7, "locator": locator, "quote": quote}


BASE_ROWS = [_citation(1, "p. 3"), _citation(2, "p. 9"), _citation(3, "slide 4")]


def test_rows_added_on_both_sides_are_kept_theirs_first_then_mine():
    mine = [*BASE_ROWS, _citation(None, "p. 20"), _citation(None, "p. 21")]
    theirs = [*BASE_ROWS, _citation(4, "p. 12")]
    result = merge_rows(BASE_ROWS, mine, theirs)
    assert result.clean
    assert result.rows == [*BASE_ROWS, _citation(4, "p. 12"), _citation(None, "p. 20"), _citation(None, "p. 21")]


def test_a_row_one_side_edits_and_the_other_deletes_is_a_conflict():
    edited = _citation(2, "p. 10")
    result = merge_rows(BASE_ROWS, [BASE_ROWS[0], edited, BASE_ROWS[2]], [BASE_ROWS[0], BASE_ROWS[2]])
    assert result.conflicts == [FieldConflict("citation 2", base=BASE_ROWS[1], mine=edited, theirs=None)]
    assert result.rows == [BASE_ROWS[0], BASE_ROWS[2], edited]

    result = merge_rows(BASE_ROWS, [BASE_ROWS[0], BASE_ROWS[2]], [BASE_ROWS[0], edited, BASE_ROWS[2]])
    assert result.conflicts == [FieldConflict("citation 2", base=BASE_ROWS[1], mine=None, theirs=edited)]


def test_a_row_deleted_on_one_side_and_unchanged_on_the_other_is_deleted():
    assert merge_rows(BASE_ROWS, [BASE_ROWS[0], BASE_ROWS[2]], BASE_ROWS).rows == [BASE_ROWS[0], BASE_ROWS[2]]
    assert merge_rows(BASE_ROWS, BASE_ROWS, [BASE_ROWS[1], BASE_ROWS[2]]).rows == [BASE_ROWS[1], BASE_ROWS[2]]


def test_different_rows_edited_on_each_side_merge():
    mine_edit = _citation(1, "p. 3", quote="“record revenue”")
    theirs_edit = _citation(3, "slide 5")
    result = merge_rows(BASE_ROWS, [mine_edit, BASE_ROWS[1], BASE_ROWS[2]], [BASE_ROWS[0], BASE_ROWS[1], theirs_edit])
    assert result.clean
    assert result.rows == [mine_edit, BASE_ROWS[1], theirs_edit]


def test_the_same_row_edited_differently_on_both_sides_is_a_conflict():
    mine_edit = _citation(2, "p. 10")
    theirs_edit = _citation(2, "p. 11")
    result = merge_rows(BASE_ROWS, [BASE_ROWS[0], mine_edit, BASE_ROWS[2]], [BASE_ROWS[0], theirs_edit, BASE_ROWS[2]])
    assert result.conflicts == [FieldConflict("citation 2", base=BASE_ROWS[1], mine=mine_edit, theirs=theirs_edit)]
    assert not result.clean


def test_the_same_row_edited_the_same_way_on_both_sides_merges():
    edit = _citation(2, "p. 10")
    result = merge_rows(BASE_ROWS, [BASE_ROWS[0], edit, BASE_ROWS[2]], [BASE_ROWS[0], edit, BASE_ROWS[2]])
    assert result.clean
    assert result.rows == [BASE_ROWS[0], edit, BASE_ROWS[2]]


def test_existing_rows_follow_theirs_order():
    reordered = [BASE_ROWS[2], BASE_ROWS[0], BASE_ROWS[1]]
    assert merge_rows(BASE_ROWS, BASE_ROWS, reordered).rows == reordered


def test_conflict_names_use_the_given_label():
    result = merge_rows([{"id": 5, "x": 1}], [{"id": 5, "x": 2}], [{"id": 5, "x": 3}], label="milestone")
    assert [conflict.name for conflict in result.conflicts] == ["milestone 5"]


def test_a_row_mine_could_not_have_seen_is_refused():
    with pytest.raises(ValueError, match="99"):
        merge_rows(BASE_ROWS, [*BASE_ROWS, _citation(99, "p. 1")], BASE_ROWS)
