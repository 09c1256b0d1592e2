"""vn: the Vietnamese domain facts every layer shares (text, dates, points, the index rule)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from cchc_consult.errors import CchcError, ValidationError
from cchc_consult.vn import (
    fold, format_date_long, format_date_nd30, format_date_short, format_index, format_points, index_plain, nfc,
    parse_date, points_or_dash, points_or_kps, round_index, strip_marks,
)

D = dt.date(2023, 8, 18)


def test_nfc_and_folding():
    decomposed = "Qua\u0309ng Đi\u00ea\u0300n"
    assert nfc(decomposed) == "Quảng Điền" and nfc(None) == ""
    assert fold("Quảng Điền") == fold(decomposed) == "quang dien"
    assert fold("ĐỔI MỨC điểm") == "doi muc diem"
    assert strip_marks("Đổi mức") == "Doi muc"
    assert len(fold("Phòng Văn hóa và Thông tin")) == len("Phòng Văn hóa và Thông tin")  # one for one


@pytest.mark.parametrize("written", [
    "2023-08-18", "18/8/2023", "18/08/2023", "18-8-2023", "18.8.2023", " 18 / 8 / 2023 ",
    "ngày 18 tháng 8 năm 2023", "Ngày 18 tháng 08 năm 2023", "18 tháng 8 năm 2023",
    "2023-08-18T09:30:00", D, dt.datetime(2023, 8, 18, 9, 30), 45156, 45156.0,
])
def test_every_form_users_write_is_read(written):
    assert parse_date(written) == D


@pytest.mark.parametrize("bad", ["31/2/2023", "2023-13-01", "hôm qua", "18/8", "18/8-2023", "", None, True, 1.5,
                                 "mười tám tháng tám"])
def test_anything_else_is_refused_in_vietnamese_not_with_a_value_error(bad):
    with pytest.raises(ValidationError) as err:
        parse_date(bad)
    assert isinstance(err.value, CchcError) and not isinstance(err.value, ValueError)
    assert "ngày" in err.value.message and "ngày/tháng/năm" in err.value.fix


def test_short_dates_have_no_leading_zeros():
    assert format_date_short(D) == "18/8/2023"
    assert format_date_short(dt.date(2023, 9, 5)) == "5/9/2023"
    assert format_date_short(None) == ""


def test_decision_dates_the_nd30_way():
    assert format_date_long(dt.date(2023, 9, 5)) == "ngày 05 tháng 9 năm 2023"
    assert format_date_long(dt.date(2023, 2, 15)) == "ngày 15 tháng 02 năm 2023"
    assert format_date_long(dt.date(2023, 12, 25)) == "ngày 25 tháng 12 năm 2023"
    assert format_date_nd30(dt.date(2023, 9, 5)) == "05/9/2023"
    assert parse_date(format_date_long(dt.date(2023, 2, 5))) == dt.date(2023, 2, 5)


def test_points_with_a_decimal_comma():
    assert [format_points(Decimal(v)) for v in ("2", "1.5", "0.75", "8.0", "1.50")] == ["2", "1,5", "0,75", "8",
                                                                                         "1,5"]
    assert format_points(None) == "" and points_or_dash(None) == "—" and points_or_kps(None) == "KPS"
    assert points_or_kps(Decimal("0.5")) == "0,5"


def test_one_rounding_rule_for_the_index_half_up():
    assert round_index(Decimal("87.625")) == Decimal("87.63")  # half-even would give 87.62
    assert round_index(Decimal("87.615")) == Decimal("87.62")
    assert format_index(Decimal("70.1") / Decimal(80) * 100) == "87,63"
    assert index_plain(Decimal("87.625")) == "87.63"
    assert format_index(Decimal(100)) == "100,00" and format_index(None) == "—" and index_plain(None) == ""


def test_vn_is_cheap_to_import():
    import subprocess
    import sys

    code = "import sys, cchc_consult.vn; print(sorted(m for m in sys.modules if m.split('.')[0] in " \
           "('jinja2', 'ruamel', 'yaml', 'docx', 'openpyxl', 'textual')))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
