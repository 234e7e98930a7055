"""Imported once by the fork server: load the modules and the Thai dictionary that every
document worker needs, so that forked workers start warm (and from a process that never
started pyarrow's or DuckDB's threads, which do not survive a fork)."""

import gc

import extractors.docx_reader  # noqa: F401
import extractors.pdf_reader  # noqa: F401
import pipeline.document  # noqa: F401
import pipeline.worker  # noqa: F401
import output.store  # noqa: F401  (pyarrow: imported, not used, so no threads to lose in a fork)
import pandas  # noqa: F401  (pyarrow imports it on first conversion: 0.2 s per worker otherwise)
import pypdfium2  # noqa: F401  (pdfium initialised once, not per document)
import pypdfium2.raw  # noqa: F401
from normalizers.quality import text_quality

text_quality("แผนพัฒนาครูและบุคลากรทางการศึกษา ประจำปีงบประมาณ")

# what is loaded now stays as it is: keep the collector from walking (and so copying, page by
# page, into every forked worker) the dictionary and the modules
gc.freeze()

# a document makes hundreds of thousands of short-lived objects (segments, lines, cells) and
# almost no reference cycles: collecting the young generation every 50,000 allocations instead
# of every 700 saves ~2% of a worker's instructions (measured with valgrind) at no cost in memory
gc.set_threshold(50_000, 20, 20)
