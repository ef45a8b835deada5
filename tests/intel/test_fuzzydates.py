import datetime

import pytest

from intel.choices import Precision
from intel.fuzzydates import FuzzyDate


@pytest.mark.parametrize(
    ("text", "precision", "start", "end"),
    [
        ("2025", Precision.YEAR, "2025-01-01", "2025-12-31"),
        ("2025-H2", Precision.HALF, "2025-07-01", "2025-12-31"),
        ("2025-Q3", Precision.QUARTER, "2025-07-01", "2025-09-30"),
        ("2025-03", Precision.MONTH, "2025-03-01", "2025-03-31"),
        ("2025-03-24", Precision.DAY, "2025-03-24", "2025-03-24"),
    ],
)
def test_accepted_forms_parse_and_show_back_in_the_same_precision(text, precision, start, end):
    fuzzy = FuzzyDate.parse(text)
    assert fuzzy.precision == precision
    assert fuzzy.start == datetime.date.fromisoformat(start)
    assert fuzzy.end == datetime.date.fromisoformat(end)
    assert str(fuzzy) == text


@pytest.mark.parametrize(
    ("text", "canonical", "label"), [("Q3 2025", "2025-Q3", "Q3 2025"), ("h2 2026", "2026-H2", "H2 2026")]
)
def test_analyst_spellings_of_quarters_and_halves_are_understood(text, canonical, label):
    fuzzy = FuzzyDate.parse(text)
    assert str(fuzzy) == canonical
    assert fuzzy.label == label


@pytest.mark.parametrize("text", ["2025-Q5", "next year", "2025-13", "2025-02-30", "", "25", "2025-H3"])
def test_unparseable_dates_raise_a_value_error_naming_the_accepted_forms(text):
    with pytest.raises(ValueError, match=r"2025-Q3") as error:
        FuzzyDate.parse(text)
    assert "YYYY-MM-DD" in str(error.value)


def test_a_date_is_moved_to_the_start_of_its_period():
    assert FuzzyDate(datetime.date(2025, 8, 17), Precision.QUARTER) == FuzzyDate.parse("2025-Q3")


def test_fuzzy_dates_sort_by_start_and_narrower_first():
    texts = ["2026", "2025-H2", "2025", "2025-Q3", "2025-07", "2025-01-01", "2024-H2"]
    ordered = [str(fuzzy) for fuzzy in sorted(FuzzyDate.parse(text) for text in texts)]
    assert ordered == ["2024-H2", "2025-01-01", "2025", "2025-07", "2025-Q3", "2025-H2", "2026"]
