from __future__ import annotations

from datetime import date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ihanoi_report.values import Problem, parse_count, parse_date


@pytest.mark.parametrize(
    ("raw", "count"),
    [(1234, 1234), (12.0, 12), ("1.234", 1234), ("1,234", 1234), ("1 234", 1234), ("1 234", 1234),
     ("1.234.567", 1234567), ("12.0", 12), ("12,00", 12), (" 42 ", 42), ("0", 0), (0, 0), ("007", 7)],
)
def test_what_clerks_type_for_a_whole_number(raw, count):
    assert parse_count(raw).count == count and parse_count(raw).problem is None


@pytest.mark.parametrize(
    ("raw", "problem"),
    [("1,5", Problem.NOT_INTEGER), ("abc", Problem.NOT_INTEGER), (1.5, Problem.NOT_INTEGER),
     ("5.000 người", Problem.NOT_INTEGER), ("12.34", Problem.NOT_INTEGER), (-3, Problem.NEGATIVE),
     ("-3", Problem.NEGATIVE), ("-1.234", Problem.NEGATIVE), (None, Problem.MISSING), ("", Problem.MISSING),
     ("-", Problem.MISSING), (True, Problem.NOT_INTEGER), (date(2024, 7, 1), Problem.NOT_INTEGER),
     (float("nan"), Problem.NOT_INTEGER)],
)
def test_what_is_not_a_count_names_the_problem(raw, problem):
    parsed = parse_count(raw)
    assert parsed.count is None and parsed.problem is problem


def test_an_empty_optional_cell_is_no_problem():
    assert parse_count(None, required=False).problem is None
    assert parse_count("-", required=False).empty


@given(st.integers(min_value=0, max_value=10**12))
def test_any_count_round_trips_through_every_way_of_writing_it(n):
    plain = str(n)
    grouped = f"{n:,}"
    for text in (plain, grouped, grouped.replace(",", "."), grouped.replace(",", " "), float(n), n, f"{n}.0"):
        assert parse_count(text).count == n, text


@given(st.integers(min_value=1, max_value=10**9))
def test_negative_numbers_are_always_rejected(n):
    assert parse_count(-n).problem is Problem.NEGATIVE
    assert parse_count(f"-{n}").problem is Problem.NEGATIVE


@given(st.text(max_size=20))
def test_the_parser_never_raises_and_never_invents_a_number(text):
    parsed = parse_count(text)
    assert (parsed.count is None) != (parsed.problem is None) or parsed.empty
    if parsed.count is not None:
        assert parsed.count >= 0 and any(ch.isdigit() for ch in text)


@given(st.integers(min_value=0, max_value=999), st.integers(min_value=1, max_value=99))
def test_decimal_fractions_are_not_whole_numbers(whole, fraction):
    if fraction % 10 == 0:
        fraction += 1
    assert parse_count(f"{whole},{fraction}").problem is Problem.NOT_INTEGER


# --- report dates ---------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("raw", "day"),
    [("20/8/2024", date(2024, 8, 20)), ("ngày 05-08-2024", date(2024, 8, 5)), ("2024-08-20", date(2024, 8, 20)),
     ("18/8/24", date(2024, 8, 18)), ("18.08.2024", date(2024, 8, 18)), ("ngày 18 tháng 8 năm 2024", date(2024, 8, 18)),
     ("Ba Vì, ngày 18 tháng 8 năm 2024", date(2024, 8, 18)), ("18/8/2024 00:00:00", date(2024, 8, 18)),
     (date(2024, 8, 18), date(2024, 8, 18)), (datetime(2024, 8, 18, 9, 30), date(2024, 8, 18)),
     (45522.0, date(2024, 8, 18))],  # an Excel day number, when the cell's date format was lost
)
def test_report_dates_as_clerks_write_them(raw, day):
    assert parse_date(raw).day == day


@pytest.mark.parametrize("raw", ["26", 26, "8/18/2024", "31/02/2024", "hôm qua", "ngày ….. tháng ….. năm 2024", 1.5])
def test_a_date_that_cannot_be_read_is_never_guessed(raw):
    parsed = parse_date(raw)
    assert parsed.day is None and not parsed.missing and parsed.found


@pytest.mark.parametrize("raw", [None, "", "   ", "-"])
def test_a_blank_date_is_missing(raw):
    assert parse_date(raw).missing


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31)))
def test_every_date_written_day_first_reads_back(day):
    for text in (f"{day.day}/{day.month}/{day.year}", f"{day.day:02d}-{day.month:02d}-{day.year}",
                 f"ngày {day.day} tháng {day.month} năm {day.year}", day.isoformat()):
        assert parse_date(text).day == day, text
