"""Imported once by the fork server: load the modules and the Thai dictionary that every
document worker needs, so that forked workers start warm (and from a process that never
started pyarrow's or DuckDB's threads, which do not survive a fork)."""

import gc
import sys


def _pyarrow_without_pandas() -> None:
    """Workers never convert to or from pandas, but pyarrow imports it (0.2 s of every batch's
    start, ~40 MB) on its first conversion of a Python list, only to ask whether the list is a
    pandas object. pyarrow asks once per process and takes a pandas older than it supports as
    none: asked here with such a stand-in, it answers "no pandas" in the fork server and every
    worker. The stand-in is gone at once (a real `import pandas` still works)."""
    import types
    import warnings

    import pyarrow as pa
    stand_in = types.ModuleType("pandas")
    stand_in.__version__ = "0"
    sys.modules["pandas"] = stand_in
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            pa.array([None])
    finally:
        del sys.modules["pandas"]


_pyarrow_without_pandas()

import extractors.docx_reader  # noqa: F401,E402
import extractors.pdf_reader  # noqa: F401,E402
import pipeline.document  # noqa: F401,E402
import pipeline.worker  # noqa: F401,E402
import output.store  # noqa: F401,E402  (pyarrow: imported, not used, so no threads to lose in a fork)
import pypdfium2  # noqa: F401,E402  (pdfium initialised once, not per document)
import pypdfium2.raw  # noqa: F401,E402
from normalizers.quality import text_quality  # noqa: E402

text_quality("แผนพัฒนาครูและบุคลากรทางการศึกษา ประจำปีงบประมาณ")

# Work every process does once, on first use, done here once for all workers (measured: a
# worker's first document took ~45 ms longer than the next): pdfium's font manager and text
# pages, patterns compiled on first use, the finders' caches, pyarrow's conversion of rows.
# Nothing is written and no thread is started (pdfium is single-threaded; building a table
# from Python values uses no thread pool).
_WARM_PLAN = """แผนปฏิบัติการ ประจำปีงบประมาณ พ.ศ. ๒๕๖๗
สำนักงานเขตพื้นที่การศึกษาประถมศึกษาเชียงใหม่ เขต ๒
ยุทธศาสตร์ที่ ๑ พัฒนาคุณภาพการศึกษา
ที่\tโครงการ\tงบประมาณ (บาท)\tผู้รับผิดชอบ\tระยะเวลา
๑\tพัฒนาครู\t๘๕,๔๕๐\tกลุ่มนิเทศ\tต.ค. ๖๖ - ก.ย. ๖๗
๒\tส่งเสริมการอ่าน\t๑๒,๐๐๐.๐๐\tกลุ่มส่งเสริม\t๑ ม.ค. ๒๕๖๗ - ๓๑ มี.ค. ๒๕๖๗
รวม\t\t๙๗,๔๕๐\t\t
"""


def _warm_up() -> None:
    import ctypes
    import tempfile
    from pathlib import Path

    import pypdfium2.raw as pdfium_c

    from output.atomic import write_atomic
    from output.store import to_table
    from pipeline.document import process_document
    from pipeline.settings import Settings
    doc = pypdfium2.PdfDocument.new()
    try:
        page = doc.new_page(200, 200)
        font = pdfium_c.FPDFText_LoadStandardFont(doc.raw, b"Helvetica")
        obj = pdfium_c.FPDFPageObj_CreateTextObj(doc.raw, font, 12.0)
        text = ctypes.create_string_buffer("warm 1".encode("utf-16-le") + b"\0\0")
        pdfium_c.FPDFText_SetText(obj, ctypes.cast(text, ctypes.POINTER(pdfium_c.FPDF_WCHAR)))
        pdfium_c.FPDFPage_InsertObject(page.raw, obj)
        pdfium_c.FPDFPage_GenerateContent(page.raw)
        textpage = pdfium_c.FPDFText_LoadPage(page.raw)
        pdfium_c.FPDFText_CountChars(textpage)
        pdfium_c.FPDFText_ClosePage(textpage)
        page.close()
    finally:
        doc.close()
    with tempfile.TemporaryDirectory() as tmp:
        plan = write_atomic(Path(tmp) / "warm.txt", _WARM_PLAN)
        result = process_document(plan, Settings(out=tmp))
    for dataset, rows in result.rows.items():
        if rows:
            to_table(dataset, rows)


_warm_up()

# what is loaded now stays as it is: keep the collector from walking (and so copying, page by
# page, into every forked worker) the dictionary and the modules
gc.freeze()

# a document makes hundreds of thousands of short-lived objects (segments, lines, cells) and
# almost no reference cycles: collecting the young generation every 50,000 allocations instead
# of every 700 saves ~2% of a worker's instructions (measured with valgrind) at no cost in memory
gc.set_threshold(50_000, 20, 20)
