"""ISO week and ordinal dates ("2023W303", "2023-213") are refused by name, never read as another day."""

from __future__ import annotations

import pytest

from cchc_consult import cli
from cchc_consult.errors import ValidationError
from cchc_consult.vn import parse_date


@pytest.mark.parametrize("written, kind", [("2023W303", "tuần"), ("2023-W30-3", "tuần"), ("2023w30", "tuần"),
                                           ("2023-213", "thứ tự ngày"), ("2023213", "thứ tự ngày")])
def test_week_and_ordinal_dates_are_refused_with_the_accepted_forms(written, kind):
    with pytest.raises(ValidationError) as caught:
        parse_date(written)
    assert kind in caught.value.message and written in caught.value.message
    assert "ngày/tháng/năm" in caught.value.fix and "năm-tháng-ngày" in caught.value.fix
    assert "tháng" in caught.value.fix.split("như", 1)[1]  # an example of the written-out form too


def test_the_forms_a_clerk_writes_still_read():
    assert parse_date("2023-07-26") == parse_date("26/7/2023") == parse_date("ngày 26 tháng 7 năm 2023")


def test_publish_refuses_a_week_date_and_issues_nothing(workspace, capsys):
    history = (workspace / "rubric" / "history.yaml").read_bytes()
    assert cli.main(["-w", str(workspace), "publish", "v2", "--number", "125/QĐ-UBND", "--date", "2023W303",
                     "--no-pdf"]) == 2
    err = capsys.readouterr().err
    assert "2023W303" in err and "tuần" in err and "26/7/2023" not in err and "Traceback" not in err
    assert (workspace / "rubric" / "history.yaml").read_bytes() == history
    assert not (workspace / "out" / "quyet-dinh").exists()
