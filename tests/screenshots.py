"""make screenshots: the reports of `make run` (overview, a document page, the audit) and an
`inspect` drawing of a family PDF, as small PNGs for the README (docs/)."""

import sys
from pathlib import Path

from PIL import Image

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))
from browser import screenshot  # noqa: E402


def shot(page: Path, png: Path, height: int) -> None:
    screenshot(page, png, width=1100, height=height)
    img = Image.open(png).convert("RGB")
    img = img.resize((img.width * 3 // 4, img.height * 3 // 4), Image.LANCZOS)
    img.quantize(colors=64).save(png, optimize=True)


if __name__ == "__main__":
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "warehouse")
    docs = HERE.parent / "docs"
    shot(out / "_report.html", docs / "report.png", 1500)
    page = next((out / "_report").glob("*.html"))
    shot(page, docs / "report-document.png", 1500)
    grid = HERE / ".families" / "pdf" / "grid-shaded-chiangrai2.pdf"
    if grid.exists():
        from pipeline.cli import main
        main(["inspect", str(grid), "--page", "3", "--out", str(out / "_inspect.html")])
        shot(out / "_inspect.html", docs / "inspect.png", 1300)
    shot(out / "_audit" / "report.html", docs / "audit.png", 1100)
    print(f"screenshots in {docs}/")
