"""Bugs found by the new-year walkthrough: each fixed, each held by a test here."""

from __future__ import annotations

import pytest

from cchc_consult.cli import main
from cchc_consult.consult.dispositions import set_disposition
from cchc_consult.errors import NotFoundError
from cchc_consult.workspace import Workspace


def test_an_answer_naming_a_version_that_does_not_exist_is_refused(workspace, capsys):
    path = workspace / "comments" / "dispositions.yaml"
    before = path.read_bytes()
    with pytest.raises(NotFoundError) as err:
        set_disposition(Workspace(workspace), "TP-1", "tiếp thu", version="v3", replace=True)
    assert "v3" in err.value.message and "v1, v2" in err.value.message
    assert main(["-w", str(workspace), "comments", "answer", "TP-1", "tiếp thu", "--version", "v3",
                 "--replace"]) != 0
    out, error = capsys.readouterr()
    assert "Đã ghi" not in out and "v1, v2" in error and "Traceback" not in error
    assert path.read_bytes() == before
    assert main(["-w", str(workspace), "comments", "answer", "TP-1", "tiếp thu", "--version", "v2",
                 "--replace"]) == 0
