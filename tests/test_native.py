"""Fast paths against their references: the native passes (extractors/_fastchars.c) give the
Python passes' raw segments (coordinates and text) and page objects, on every generated PDF, the
scan and the real broken PDFs; the cheap repair pre-test never skips text a repair rule would change; nlpO3
gives pythainlp's newmm tokens."""

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest
from hypothesis import given, strategies as st

from conftest import ROOT
from extractors import pdf_reader
from fixtures import build_all
from normalizers.thai_repair import TONE_MARKS, VOWEL_MARKS, may_need_repair, repair_thai

WILD = ROOT.parent / "shared" / "wild"


def test_native_pass_is_built():
    # `make setup` compiles it; without it PDFs still read, only slower
    assert pdf_reader._fastchars is not None


def _pdfs():
    import families
    return (sorted(build_all().glob("pdf/*.pdf")) + sorted(families.build_all().glob("pdf/*.pdf"))
            + sorted(build_all().glob("scan/*.pdf"))
            + sorted(WILD.glob("*.pdf")))


@pytest.mark.parametrize("path", _pdfs(), ids=lambda p: p.name)
def test_native_and_python_passes_agree(path):
    pdf = pdfium.PdfDocument(str(path))
    try:
        pages = range(len(pdf)) if len(pdf) <= 40 else range(0, len(pdf), max(1, len(pdf) // 40))
        compared = objects = 0
        for n in pages:
            page = pdf[n]
            tp = page.get_textpage()
            vert, _ = pdf_reader._rulings(pdf_reader._page_objects(page.raw, pdfium_c), pdfium_c)
            cuts = [v for x in vert for v in x]        # cell borders end segments in both passes
            native = pdf_reader._raw_segments(tp.raw, pdfium_c, native=True, cuts=cuts)
            python = pdf_reader._raw_segments(tp.raw, pdfium_c, native=False, cuts=cuts)
            assert [(s.x0, s.x1, s.y, s.size, s.text) for s in native] == \
                   [(s.x0, s.x1, s.y, s.size, s.text) for s in python], f"page {n + 1}"
            assert pdf_reader._page_objects(page.raw, pdfium_c, native=True) == \
                   pdf_reader._page_objects(page.raw, pdfium_c, native=False), f"page {n + 1} objects"
            objects += len(pdf_reader._page_objects(page.raw, pdfium_c))
            compared += len(native)
            tp.close()
            page.close()
        assert compared > 0 or (objects > 0 and "scan" in path.name)   # a scan: images, no text
    finally:
        pdf.close()


_MARKS = VOWEL_MARKS + TONE_MARKS


@given(st.lists(st.sampled_from(
    list("กขคงมทียน ่้ำาะ") + list(_MARKS) + ["\u0e4d", "\u0e32", "\u0e33", "\uf70a", "\uf89b", "É", "Ò",
                                            "¡", "\ufffd", "(cid:1)", "\x07", "\n", "a"]), max_size=30).map("".join))
def test_repair_pretest_never_skips_a_change(s):
    if not may_need_repair(s):
        assert repair_thai(s) == s


def test_repair_pretest_lets_common_thai_pass():
    assert not may_need_repair("ที่ได้รับการพัฒนาเพื่อน้ำ ๒๕๖๗")
    assert may_need_repair("ท่ี") and may_need_repair("คุุณ") and may_need_repair("ดําเนิน")


def test_fast_tokenizer_gives_pythainlps_newmm_tokens():
    from pythainlp.tokenize import word_tokenize
    from conftest import SAMPLE
    from normalizers.quality import _THAI_RUN, words_of
    runs = _THAI_RUN.findall(SAMPLE.read_text("utf-8"))[:400]
    broken = "ก รม ค ว บคุุ ม ม ล พิิ ษ วิิ สัั ย ทัั ศน์์ ผ ล สััม ฤ ทธิ์์"
    for text in runs + [broken]:
        assert words_of(text) == word_tokenize(text, engine="newmm", keep_whitespace=False), text
