"""Fuzzy dates: a date plus how much of it is known ("2025-Q3", "H2 2026", "2025").

A fuzzy date is stored in two columns, ``<name>_date`` (the first day of the period)
and ``<name>_precision``, and read through :class:`FuzzyDateField`, a plain descriptor
on the model. Keeping the first day of the period in a real date column lets the
database sort and filter by it; the precision says how wide the period is.
"""

from __future__ import annotations

import calendar
import datetime
import functools
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.models import CheckConstraint, Q

from intel.choices import Precision

ACCEPTED_FORMS = (
    "YYYY, YYYY-H1/H2, YYYY-Q1..Q4, YYYY-MM or YYYY-MM-DD (e.g. 2025, 2025-H2, 2025-Q3, 2025-03, 2025-03-24; "
    "Q3 2025 and H2 2026 work too)"
)

_PATTERNS = [
    (re.compile(r"^(\d{4})$"), Precision.YEAR),
    (re.compile(r"^(\d{4})-?H([12])$"), Precision.HALF),
    (re.compile(r"^H([12])\s+(\d{4})$"), Precision.HALF),
    (re.compile(r"^(\d{4})-?Q([1-4])$"), Precision.QUARTER),
    (re.compile(r"^Q([1-4])\s+(\d{4})$"), Precision.QUARTER),
    (re.compile(r"^(\d{4})-(\d{2})$"), Precision.MONTH),
    (re.compile(r"^(\d{4})-(\d{2})-(\d{2})$"), Precision.DAY),
]

# How many months a period of each precision spans (a day is handled apart).
PRECISION_MONTHS = {Precision.MONTH: 1, Precision.QUARTER: 3, Precision.HALF: 6, Precision.YEAR: 12}


@functools.total_ordering
@dataclass(frozen=True, order=False)
class FuzzyDate:
    """The period that starts on ``date`` and spans one ``precision``."""

    date: datetime.date
    precision: Precision

    def __post_init__(self):
        precision = Precision(self.precision)
        object.__setattr__(self, "precision", precision)
        object.__setattr__(self, "date", _period_start(self.date, precision))

    @classmethod
    def parse(cls, text: str) -> FuzzyDate:
        """Parse one of the accepted forms; raise ValueError naming them otherwise."""
        cleaned = (text or "").strip().upper()
        for pattern, precision in _PATTERNS:
            match = pattern.match(cleaned)
            if not match:
                continue
            numbers = [int(group) for group in match.groups()]
            if cleaned[0] in "HQ":  # "Q3 2025" and "H2 2026" put the year last
                numbers.reverse()
            try:
                return cls(_first_day(precision, *numbers), precision)
            except ValueError:
                break
        raise ValueError(f"{text!r} is not a fuzzy date; use {ACCEPTED_FORMS}.")

    @property
    def start(self) -> datetime.date:
        return self.date

    @property
    def end(self) -> datetime.date:
        """The last day of the period."""
        if self.precision == Precision.DAY:
            return self.date
        month_index = self.date.month - 1 + PRECISION_MONTHS[self.precision]
        year, month = self.date.year + month_index // 12, month_index % 12 + 1
        if year > datetime.MAXYEAR:
            return datetime.date.max  # a period ending with the calendar (9999-Q4)
        return datetime.date(year, month, 1) - datetime.timedelta(days=1)

    @property
    def sort_key(self) -> tuple[datetime.date, datetime.date]:
        """Earlier periods first; of two starting together, the narrower first."""
        return (self.start, self.end)

    def __lt__(self, other: FuzzyDate) -> bool:
        return self.sort_key < other.sort_key

    def __str__(self) -> str:
        """The canonical form, in the same precision it was given."""
        year = self.date.year
        match self.precision:
            case Precision.YEAR:
                return f"{year}"
            case Precision.HALF:
                return f"{year}-H{1 if self.date.month <= 6 else 2}"
            case Precision.QUARTER:
                return f"{year}-Q{(self.date.month - 1) // 3 + 1}"
            case Precision.MONTH:
                return f"{year}-{self.date.month:02d}"
        return self.date.isoformat()

    @property
    def label(self) -> str:
        """A human label: "Q3 2025", "H2 2026", "March 2025", "24 March 2025"."""
        text = str(self)
        match self.precision:
            case Precision.HALF | Precision.QUARTER:
                year, part = text.split("-")
                return f"{part} {year}"
            case Precision.MONTH:
                return f"{calendar.month_name[self.date.month]} {self.date.year}"
            case Precision.DAY:
                return f"{self.date.day} {calendar.month_name[self.date.month]} {self.date.year}"
        return text


def day_after(date: datetime.date) -> datetime.date:
    """The day after ``date``, where a period's bar ends on a time axis (the calendar's last day has none)."""
    return date if date == datetime.date.max else date + datetime.timedelta(days=1)


def _first_day(precision: Precision, year: int, part: int = 1, day: int = 1) -> datetime.date:
    match precision:
        case Precision.HALF:
            return datetime.date(year, 1 if part == 1 else 7, 1)
        case Precision.QUARTER:
            return datetime.date(year, 3 * (part - 1) + 1, 1)
        case Precision.YEAR:
            return datetime.date(year, 1, 1)
    return datetime.date(year, part, day)


def _period_start(date: datetime.date, precision: Precision) -> datetime.date:
    if precision == Precision.DAY:
        return date
    months = PRECISION_MONTHS[precision]
    return datetime.date(date.year, (date.month - 1) // months * months + 1, 1)


@functools.lru_cache(maxsize=8192)
def fuzzy_date_of(date: datetime.date, precision: str) -> FuzzyDate:
    """FuzzyDates are immutable, so one per (date, precision) serves every row: a roadmap reads thousands."""
    return FuzzyDate(date, precision)


def coerce_fuzzy_date(value) -> FuzzyDate | None:
    """Accept a FuzzyDate, one of the accepted strings, or None/""."""
    if value is None or value == "":
        return None
    if isinstance(value, FuzzyDate):
        return value
    return FuzzyDate.parse(str(value))


class FuzzyDateField(property):
    """Reads and writes the ``<name>_date`` and ``<name>_precision`` columns as one FuzzyDate.

    Not a database field: the two columns are ordinary model fields, so they sort,
    filter and migrate like any other. Assigning a string parses it. A ``property``
    subclass so that ``Model(target="2025-Q3")`` works like any model property.
    """

    def __init__(self):
        super().__init__()

    def __set_name__(self, owner, name):
        self.name = name
        self.date_attr = f"{name}_date"
        self.precision_attr = f"{name}_precision"

    def __get__(self, instance, owner=None):
        if instance is None:
            return self
        date = getattr(instance, self.date_attr)
        precision = getattr(instance, self.precision_attr)
        if date is None or not precision:
            return None
        return fuzzy_date_of(date, precision)

    def __set__(self, instance, value):
        try:
            fuzzy = coerce_fuzzy_date(value)
        except ValueError as error:
            # A field error, so forms and the API show it next to the field.
            raise ValidationError({self.name: str(error)}) from None
        setattr(instance, self.date_attr, fuzzy.date if fuzzy else None)
        setattr(instance, self.precision_attr, fuzzy.precision.value if fuzzy else "")


def fuzzy_date_constraint(name: str) -> CheckConstraint:
    """A fuzzy date has both columns or neither, and a known precision."""
    date, precision = f"{name}_date", f"{name}_precision"
    return CheckConstraint(
        condition=(Q(**{f"{date}__isnull": True}) & Q(**{precision: ""}))
        | (Q(**{f"{date}__isnull": False}) & Q(**{f"{precision}__in": Precision.values})),
        name=f"%(app_label)s_%(class)s_{name}_fuzzy_date",
    )
