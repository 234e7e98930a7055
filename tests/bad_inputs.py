"""A corpus of bad inputs, built by the tests (nothing here is committed as data).

Each builder writes one file and returns what a user must see: the status and a fragment
of the one-line error (or the finding that says what is missing)."""

import io
import os
import zipfile
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "samples" / "cme2-teacher-dev-plan-2567.txt"


def _pdf_with_stream(raw: bytes, repeat: int = 1) -> bytes:
    """A one-page PDF whose content stream is `raw` (`repeat` times over: a large stream without
    holding it whole), Flate-compressed."""
    z = zlib.compressobj(9)
    body = b"".join(z.compress(raw) for _ in range(repeat)) + z.flush()
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
            b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(body) + body + b"\nendstream"]
    out, offsets = b"%PDF-1.7\n", []
    for i, obj in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + obj + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    return out


def build(folder: Path, good_pdf: Path, scan_pdf: Path) -> dict[str, tuple[str, str]]:
    """Write the corpus into `folder`; return {file name: (status, error fragment)}."""
    import pikepdf
    import pypdfium2 as pdfium
    folder.mkdir(parents=True, exist_ok=True)
    expect = {}

    (folder / "random-bytes.pdf").write_bytes(os.urandom(50_000))
    expect["random-bytes.pdf"] = ("failed", "not a readable PDF")

    (folder / "empty.pdf").write_bytes(b"")
    expect["empty.pdf"] = ("failed", "empty file (0 bytes)")

    data = good_pdf.read_bytes()
    (folder / "truncated.pdf").write_bytes(data[: len(data) * 2 // 5])
    expect["truncated.pdf"] = ("failed", "not a readable PDF")

    with pikepdf.open(good_pdf) as pdf:
        pdf.save(folder / "encrypted.pdf", encryption=pikepdf.Encryption(owner="owner-pw", user="secret"))
    expect["encrypted.pdf"] = ("failed", "encrypted PDF: a password is needed (--password)")

    doc = pdfium.PdfDocument.new()
    for _ in range(400):
        doc.new_page(595, 842)
    doc.save(folder / "many-pages.pdf")
    doc.close()
    expect["many-pages.pdf"] = ("partial", "only the first 50 of 400 pages were read")

    (folder / "not-a-plan.pdf").write_bytes(_pdf_with_stream(
        b"BT /F1 12 Tf 72 720 Td (Minutes of the meeting) Tj ET"))
    expect["not-a-plan.pdf"] = ("partial", "no project table found")

    (folder / "scan-ocr-never.pdf").write_bytes(scan_pdf.read_bytes())
    expect["scan-ocr-never.pdf"] = ("partial", "no project table found")

    (folder / "bomb.pdf").write_bytes(_pdf_with_stream(b"0 0 m 1 1 l S\n" * 60_000_000))
    expect["bomb.pdf"] = ("failed", "out of memory")

    (folder / "binary.txt").write_bytes(os.urandom(4000) + b"\x00" * 10)
    expect["binary.txt"] = ("failed", "binary file, not text")

    (folder / "koi8.txt").write_bytes(("План развития учителей на 2567 год. " * 200).encode("koi8_r"))
    expect["koi8.txt"] = ("failed", "unknown encoding")

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("photos/a.jpg", os.urandom(1000))
    (folder / "zip-not-docx.docx").write_bytes(buf.getvalue())
    expect["zip-not-docx.docx"] = ("failed", "a ZIP without word/document.xml")

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", b" " * (300 * 2**20))
    (folder / "bomb.docx").write_bytes(buf.getvalue())
    expect["bomb.docx"] = ("failed", "decompression bomb")

    (folder / "not-a-docx.docx").write_text("just text", "utf-8")
    expect["not-a-docx.docx"] = ("failed", "not a ZIP package")
    return expect
