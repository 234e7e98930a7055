"""Tunables: named module constants, gathered in one Settings object per run."""

from dataclasses import dataclass

OCR_MODES = ("auto", "never", "always")
DEFAULT_OUT = "warehouse"
SOURCE_SUFFIXES = {".pdf": "pdf", ".txt": "txt", ".docx": "docx"}
LINK_MIN_SCORE = 0.55          # below this a timeline name is not the project's name
LOW_QUALITY = 0.70             # page text scoring below this is flagged LOW_TEXT_QUALITY


@dataclass(frozen=True)
class Settings:
    out: str = DEFAULT_OUT
    workers: int = 1
    ocr: str = "auto"
    link_min_score: float = LINK_MIN_SCORE
    low_quality: float = LOW_QUALITY
    verbose: bool = False
