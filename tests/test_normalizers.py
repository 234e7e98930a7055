"""Normalizers on many printed forms; property tests: a value or a clear rejection, never a crash."""

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given, settings, strategies as st

from normalizers import Rejected
from normalizers.dates import (MONTH_ABBR_PRINT, MONTH_FULL_PRINT, DateRejected, fiscal_year_bounds,
                               parse_date_range, parse_thai_date)
from normalizers.digits import arabic_to_thai, thai_to_arabic
from normalizers.money import AmountRejected, parse_baht
from normalizers.names import GroupCanon, canonical_group, province_at, strip_numbering
from normalizers.text import compact, normalize_text


def test_digits():
    assert thai_to_arabic("๒๕๖๗ ปี") == "2567 ปี"
    assert arabic_to_thai("85,450") == "๘๕,๔๕๐"


@pytest.mark.parametrize("printed, value", [
    ("๘๕,๔๕๐", "85450.00"), ("85,450.00", "85450.00"), ("85450", "85450.00"),
    ("๑.๕ ล้านบาท", "1500000.00"), ("1.5 ล้าน", "1500000.00"), ("๘๕,๔๕๐ บาท", "85450.00"),
    ("85,450.-", "85450.00"), ("12,345.50", "12345.50"), ("85, 450", "85450.00"),
    (" ๓๓๓,๒๐๐ ", "333200.00"), ("0.75", "0.75"),
])
def test_amounts(printed, value):
    assert parse_baht(printed) == Decimal(value)


@pytest.mark.parametrize("printed", ["-", "", "–", "ไม่ใช้งบประมาณ"])
def test_nil_amounts(printed):
    assert parse_baht(printed) is None


@pytest.mark.parametrize("printed", ["abc", "12,34", "1.234", "85,450 บาท 20", "๑๒.๓๔๕"])
def test_bad_amounts_are_rejected_with_reason(printed):
    with pytest.raises(AmountRejected, match="amount"):
        parse_baht(printed)


@pytest.mark.parametrize("printed, iso, precision", [
    ("๑ ตุลาคม ๒๕๖๖", "2023-10-01", "day"),
    ("1 ต.ค. 66", "2023-10-01", "day"),
    ("1 ต.ค.2566", "2023-10-01", "day"),
    ("๑ ต.ค. ๖๖", "2023-10-01", "day"),
    ("วันที่ 30 กันยายน พ.ศ. 2567", "2024-09-30", "day"),
    ("29 ก.พ. 2567", "2024-02-29", "day"),       # 2024 CE is a leap year
    ("1/10/2566", "2023-10-01", "day"),
    ("ธันวาคม 2566", "2023-12-01", "month"),
    ("มี.ค. 67", "2024-03-01", "month"),
    ("13 พฤศจิกายน ๒๕๖๖", "2023-11-13", "day"),
    ("1 กรกฏาคม 2567", "2024-07-01", "day"),       # common misspelling
])
def test_dates(printed, iso, precision):
    parsed = parse_thai_date(printed)
    assert parsed.value.isoformat() == iso and parsed.precision == precision


def test_month_names_without_marks_stay_distinct():
    """OCR drops marks ("30กนยายน2567"); the twelve names, marks removed, are still twelve."""
    from normalizers.dates import _MARKS
    stripped = {}
    for name in MONTH_FULL_PRINT:
        stripped.setdefault(name.translate(_MARKS), set()).add(name)
    assert len(stripped) == 12
    assert parse_thai_date("30กนยายน2567").value == date(2024, 9, 30)
    assert parse_thai_date("1 ตลาคม 2566").value == date(2023, 10, 1)


def test_month_precision_end_is_last_day():
    assert parse_thai_date("ก.พ. 67", as_end=True).value == date(2024, 2, 29)
    assert parse_thai_date("ก.พ. 66", as_end=True).value == date(2023, 2, 28)


@pytest.mark.parametrize("printed, reason", [
    ("29 ก.พ. 2566", "not a leap year"),
    ("31 เมษายน 2567", "does not exist"),
    ("1 ต.ค. 6566", "implausible"),
    ("๑ ตุลาคม ๖๕๖๖", "implausible"),
    ("ทุกวันจันทร์", "not a date"),
    ("1 ต.ค.", "incomplete"),
])
def test_impossible_dates_are_rejected_with_reason(printed, reason):
    with pytest.raises(DateRejected, match=reason):
        parse_thai_date(printed)


@pytest.mark.parametrize("printed, start, end", [
    ("1 ต.ค. 66 - 30 ก.ย. 67", "2023-10-01", "2024-09-30"),
    ("ต.ค. 66 – ก.ย. 67", "2023-10-01", "2024-09-30"),
    ("1-15 ตุลาคม 2566", "2023-10-01", "2023-10-15"),
    ("ตุลาคม - ธันวาคม 2566", "2023-10-01", "2023-12-31"),
    ("พ.ย. - ม.ค. 67", "2023-11-01", "2024-01-31"),
    ("๑ ตุลาคม ๒๕๖๖ ถึง ๓๐ กันยายน ๒๕๖๗", "2023-10-01", "2024-09-30"),
])
def test_ranges(printed, start, end):
    s, e = parse_date_range(printed)
    assert (s.value.isoformat(), e.value.isoformat()) == (start, end)


def test_fiscal_year():
    assert fiscal_year_bounds(2567) == (date(2023, 10, 1), date(2024, 9, 30))
    assert fiscal_year_bounds(2568) == (date(2024, 10, 1), date(2025, 9, 30))
    with pytest.raises(DateRejected):
        fiscal_year_bounds(6566)


def test_text_normalization():
    assert normalize_text("  รับนักเรียน\tปีการศึกษา   ๒๕๖๗\n") == "รับนักเรียน ปีการศึกษา 2567"
    assert normalize_text("ดําเนิน") == "ดำเนิน"              # nikhahit + sara aa -> sara am
    assert normalize_text("น\u0e49\u0e4d\u0e32") == "น้ำ"     # tone mark between them
    assert normalize_text("ก\u200bข") == "กข"
    assert compact("กลุ่มนิเทศ ติดตาม และประเมินผล") == "กลุ่มนิเทศติดตามและประเมินผล"


@pytest.mark.parametrize("zw", ["\u200b", "\u200c", "\u200d", "\ufeff", "\u2060"])
def test_zero_width_characters_are_dropped(zw):
    """Issue 13 (items 15, 17): word processors leave zero-width spaces, joiners, word
    joiners and byte-order marks between Thai words and inside numbers; they are not white
    space to `\\s`, so every text column, comparison key, amount and date must drop them."""
    assert normalize_text(f"{zw}กลุ่ม{zw}นิเทศ {zw} ติดตาม{zw}") == "กลุ่มนิเทศ ติดตาม"
    assert compact(f"กลุ่ม{zw}นิเทศ ติดตาม") == compact("กลุ่มนิเทศติดตาม") == "กลุ่มนิเทศติดตาม"
    assert parse_baht(f"{zw}๘๕,๔๕๐{zw}.๐๐ บาท") == Decimal("85450.00")
    assert parse_thai_date(f"๑ ต.ค.{zw} ๒๕๖๗").value == date(2024, 10, 1)
    s, e = parse_date_range(f"ต.ค. ๖๗{zw} - ก.ย. ๖๘{zw}")
    assert (s.value, e.value) == (date(2024, 10, 1), date(2025, 9, 30))


@pytest.mark.parametrize("printed", [
    "กลุ่มนิเทศ ติดตาม และประเมินผล การจัดการศึกษา",
    "กลุ่มนิเทศ ติดตามและ ประเมินผลการจัดการศึกษา",
    "กลุ่มนิเทศติดตามและประเมินผลการจัดการศึกษา",
    "กลุ่มนิเทศ ติดตามและประเมินผลการจัดการศึกษา",
    "กลุ่มนิเทศฯ",
    "กลุ่มนิเทศ ติดตามและประเมินผลการจัดการศึกาษ",    # a misprint
])
def test_group_variants_share_one_canonical_name(printed):
    assert canonical_group(printed) == "กลุ่มนิเทศ ติดตามและประเมินผลการจัดการศึกษา"


def test_unknown_groups_take_the_documents_most_frequent_spelling():
    canon = GroupCanon(["ศูนย์ ข้อมูล", "ศูนย์ข้อมูล", "ศูนย์ข้อมูล", "กลุ่มอำนวยการ"])
    assert canon("ศูนย์ ข้อมูล") == "ศูนย์ข้อมูล"
    assert canon("กลุ่ม อำนวยการ") == "กลุ่มอำนวยการ"
    assert canonical_group("กลุ่มส่งเสริมการศึกษาทางไกล") != "กลุ่มส่งเสริมการจัดการศึกษา"


def test_provinces_and_numbering():
    assert province_at("เชียงใหม่ เขต 2") == "เชียงใหม่"
    assert province_at("นครศรีธรรมราช เขต 1") == "นครศรีธรรมราช"
    assert province_at("ลำปาง") == "ลำปาง"
    assert province_at("ไม่ใช่จังหวัด") is None
    assert strip_numbering("๔.๑๐ อัตรากำลัง (สพป.เชียงใหม่ เขต ๒)") == "อัตรากำลัง (สพป.เชียงใหม่ เขต ๒)"


# ---- properties: any string in, a value or a clear rejection out ----------------------

thaiish = st.text(alphabet=st.sampled_from(list("0123456789๐๑๒๓๔๕๖๗๘๙,.-– /บาทล้านตค.กยพศ ธันวาคมุลาย")) ,
                  max_size=30) | st.text(max_size=30)


@given(thaiish)
@settings(max_examples=400)
def test_parse_baht_total(s):
    try:
        v = parse_baht(s)
    except AmountRejected as e:
        assert str(e)
    else:
        assert v is None or (isinstance(v, Decimal) and v >= 0 and v == v.quantize(Decimal("0.01")))


@given(thaiish)
@settings(max_examples=400)
def test_parse_date_total(s):
    for f in (parse_thai_date, parse_date_range):
        try:
            f(s)
        except Rejected as e:
            assert str(e)


@given(st.text(max_size=40))
def test_digits_round_trip(s):
    assert thai_to_arabic(arabic_to_thai(thai_to_arabic(s))) == thai_to_arabic(s)
    assert len(thai_to_arabic(s)) == len(s)


@given(st.dates(min_value=date(1958, 1, 1), max_value=date(2150, 12, 31)),
       st.booleans(), st.booleans(), st.booleans())
def test_dates_round_trip(d, thai_digits, abbreviated, short_year):
    month = (MONTH_ABBR_PRINT if abbreviated else MONTH_FULL_PRINT)[d.month - 1]
    year = d.year + 543
    if short_year and 2500 <= year <= 2599:
        year_text = f"{year % 100:02d}"
    else:
        year_text = str(year)
    printed = f"{d.day} {month} {year_text}"
    if thai_digits:
        printed = arabic_to_thai(printed)
    assert parse_thai_date(printed).value == d


@given(st.text(max_size=60))
def test_normalize_text_is_idempotent(s):
    once = normalize_text(s)
    assert normalize_text(once) == once


@given(st.integers(min_value=-10**6, max_value=10**6))
def test_fiscal_year_bounds_total(year):
    try:
        start, end = fiscal_year_bounds(year)
    except DateRejected as e:
        assert "implausible" in str(e)
    else:
        assert (end - start).days in (364, 365) and start.month == 10 and end.month == 9


def test_regression_ocr_forms():
    """Seen in OCR of the scanned fixture."""
    from normalizers.names import strip_numbering
    assert strip_numbering("4.11เจ้าหน้าที่ธุรการ") == "เจ้าหน้าที่ธุรการ"     # no space, leading vowel
    assert parse_thai_date("พฤศจิกายน\n»2566").value == date(2023, 11, 1)   # a speck read as »


def test_the_segmenter_and_the_word_test_use_one_word_list():
    """nlpO3 loads pythainlp's packaged word file as is; the page score counts a token as a word
    by thai_words(): both must be the same list, or coverage would count against itself."""
    from normalizers.quality import _dictionary, _packaged_words, words_of
    path = _packaged_words()
    assert path is not None
    assert frozenset(filter(None, path.read_text("utf-8-sig").splitlines())) == _dictionary()
    assert words_of("สำนักงานเขตพื้นที่การศึกษาประถมศึกษาเชียงใหม่") == [
        "สำนักงานเขต", "พื้นที่", "การศึกษา", "ประถมศึกษา", "เชียงใหม่"]
