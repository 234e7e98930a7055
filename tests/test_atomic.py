"""output/atomic.py: every output file appears whole or not at all."""

import pytest

from output.atomic import atomic_open, is_temporary, temporary_name, write_atomic
from output.store import clean_temporaries


def test_write_atomic_text_and_bytes(tmp_path):
    target = tmp_path / "new" / "report.html"
    assert write_atomic(target, "รายงาน\n") == target
    assert target.read_bytes() == "รายงาน\n".encode("utf-8")
    write_atomic(target, b"\x00\x01")
    assert target.read_bytes() == b"\x00\x01"
    assert [p.name for p in target.parent.iterdir()] == ["report.html"]


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path):
    target = tmp_path / "scores.json"
    write_atomic(target, "old")
    with pytest.raises(RuntimeError):
        with atomic_open(target) as fh:
            fh.write(b"half of the new")
            raise RuntimeError("killed mid-write")
    assert target.read_text("utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["scores.json"]


def test_leftover_temporaries_are_recognised_and_cleaned(tmp_path):
    out = tmp_path / "warehouse"
    leftovers = [temporary_name(out / "report.html"), temporary_name(out / "audit" / "scores.json"),
                 temporary_name(out / "projects" / "fiscal_year_be=2568" / ("0" * 64 + ".parquet"))]
    keep = [out / "notes.tmp", out / "audit" / ".editor.tmp", out / "report.html"]
    for p in leftovers + keep:
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(b"x")
    assert all(is_temporary(p) for p in leftovers) and not any(is_temporary(p) for p in keep)
    clean_temporaries(out)
    assert not any(p.exists() for p in leftovers) and all(p.exists() for p in keep)
