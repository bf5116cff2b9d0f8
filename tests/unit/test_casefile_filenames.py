"""Safe, unique PDF names from JCBH."""
from __future__ import annotations

import pytest

from wpzf.domain.casefile import safe_file_name


@pytest.mark.parametrize(("name", "expected"), [
    ("5001182022050040", "5001182022050040.pdf"),
    ("500118/2022\\05:01", "500118_2022_05_01.pdf"),
    ("../../etc/passwd", "_.._etc_passwd.pdf"),
    ("CON", "_CON.pdf"),
    ("nul.txt", "_nul.txt.pdf"),
    ("COM1", "_COM1.pdf"),
    ("a\x00b\nc\x7f", "a_b_c_.pdf"),
    ("trailing. ", "trailing.pdf"),
    ("", "patch.pdf"),
    (None, "patch.pdf"),
    ("..", "patch.pdf"),
    ("监测图斑 01", "监测图斑 01.pdf"),
])
def test_names_are_safe(name, expected):
    assert safe_file_name(name) == expected


def test_collisions_get_numbers_case_insensitively():
    taken: set[str] = set()
    names = [safe_file_name(n, taken) for n in ("A1", "a1", "A1", "A/1", "A_1")]
    assert names == ["A1.pdf", "a1_2.pdf", "A1_3.pdf", "A_1.pdf", "A_1_2.pdf"]
    assert len({n.lower() for n in names}) == len(names)


def test_long_names_are_cut():
    assert len(safe_file_name("9" * 500)) == 120 + len(".pdf")
