"""The rubric schema both ways, and the one field reader every file type uses."""

import datetime as dt
from decimal import Decimal

import pytest

from cchc_consult.errors import ValidationError, YamlSyntaxError
from cchc_consult.schema import FieldReader, load_rubric_file, rubric_from_bytes, rubric_from_data, rubric_to_data
from cchc_consult.yamlio import parse_yaml
from tests.conftest import V1


def test_model_to_data_and_back_is_lossless():
    rubric = load_rubric_file(V1)
    assert rubric_from_data(rubric_to_data(rubric), rubric.source) == rubric


@pytest.mark.parametrize("text, line, words", [
    ("meta: {}\nsections:\n  - id: I\n    id: I\n", 4, "bị lặp"),
    ("meta: {}\nsections:\n  - id: I\n\ttitle: x\n", 4, "Tab"),
    ("meta: {}\nsections: [\n", 3, "YAML"),
    ("meta: {}\nsections:\n  - id: I\n    title: T\n    max: một\n", 3, "số điểm"),
    ("meta: {}\nsections:\n  - id: I\n    max: 1\n", 3, "thiếu trường 'title'"),
    ("a: &x [1]\nb: *x\n", 1, "tham chiếu"),  # the anchor's line: the alias resolves to it
])
def test_errors_name_the_line_in_vietnamese(tmp_path, text, line, words):
    path = tmp_path / "bad.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises((YamlSyntaxError, ValidationError)) as err:
        load_rubric_file(path)
    assert err.value.line == line
    assert words in str(err.value) and str(path) in str(err.value)




def test_rubric_from_bytes_is_the_file_read(tmp_path):
    assert rubric_from_bytes(V1.read_bytes(), str(V1)) == load_rubric_file(V1)


def _iso(value):
    return dt.date.fromisoformat(str(value))


@pytest.mark.parametrize("text, read, words", [
    ("name: [a]\n", lambda r, d: r.text(d, "name"), "phải là một dòng chữ"),
    ("other: x\n", lambda r, d: r.text(d, "name", required=True), "thiếu trường 'name'"),
    ("max: một\n", lambda r, d: r.points(d, "max"), "số điểm"),
    ("kind: khác\n", lambda r, d: r.choice(d, "kind", ("tự chấm", "thẩm định")), "dùng một trong: tự chấm, thẩm định"),
    ("when: 32/13/2023\n", lambda r, d: r.date(d, "when", _iso), "trường 'when'"),
    ("items: x\n", lambda r, d: r.sequence(d, "items"), "phải là danh sách"),
    ("block: x\n", lambda r, d: r.mapping(d, "block"), "phải là một khối"),
])
def test_field_reader_names_file_line_and_fix_the_same_way(text, read, words):
    data = parse_yaml("# đầu tệp\nkhối:\n  " + text.replace("\n", "\n  "), "tep.yaml")["khối"]
    with pytest.raises(ValidationError) as err:
        read(FieldReader("tep.yaml"), data)
    assert words in err.value.message
    assert err.value.path == "tep.yaml" and err.value.line == 3


def test_field_reader_reads_good_values():
    data = parse_yaml("a: Phòng Tư pháp\nb: '1,5'\nc: [x, y]\nd: 2023-08-18\ne: {k: v}\n")
    reader = FieldReader("tep.yaml")
    assert reader.text(data, "a") == "Phòng Tư pháp" and reader.text(data, "zz") == ""
    assert reader.points(data, "b") == (Decimal("1.5"), "")
    assert reader.text_list(data, "c") == ["x", "y"] and reader.sequence(data, "zz") == []
    assert reader.date(data, "d", _iso) == dt.date(2023, 8, 18) and reader.date(data, "zz", _iso) is None
    assert reader.mapping(data, "e")["k"] == "v" and reader.choice(data, "zz", ("a", "b"), default="a") == "a"


def test_a_comma_in_the_words_of_a_flow_condition_is_refused_not_read_as_a_key(tmp_path):
    """`{…, also: A, B}` makes "B" a key with no value: refused with the line and the quoting fix."""
    body = ("meta: {}\nsections:\n  - id: I\n    title: T\n    max: 1\n    bands:\n"
            "      - text: Đạt yêu cầu của năm\n        points: 1\n"
            "        when: {measure: percent, range: \"[100, 100]\", also: ALSO}\n")
    path = tmp_path / "v.yaml"
    path.write_text(body.replace("ALSO", "đúng hạn, đồng thời đủ hồ sơ"), encoding="utf-8")
    with pytest.raises(ValidationError) as err:
        load_rubric_file(path)
    assert err.value.line == 9 and "khóa lạ “đồng thời đủ hồ sơ”" in str(err.value) and "ngoặc kép" in str(err.value)
    path.write_text(body.replace("ALSO", '"đúng hạn, đồng thời đủ hồ sơ"'), encoding="utf-8")
    band = load_rubric_file(path).sections[0].bands[0]
    assert band.condition.also == "đúng hạn, đồng thời đủ hồ sơ"
