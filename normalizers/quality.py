"""How readable is a page's Thai text? A score in 0..1 used to route pages to repair or OCR.

score = share of Thai characters that fall in dictionary words (newmm segmentation over
pythainlp's Thai word list, run by nlpO3), minus a penalty for sequences no correct Thai text contains:
a mark with no base, doubled marks, Private Use Area glyphs, U+FFFD and (cid:N).
Pages with too little Thai to judge score None.
"""

import re
import tempfile
from functools import lru_cache
from pathlib import Path

import regex

MIN_THAI_CHARS = 20          # fewer Thai letters than this: nothing to judge
QUICK_CHARS = 200            # a first look at this many Thai characters decides clear cases
SAMPLE_CHARS = 6000          # doubtful pages (quick score below SURE) are scored on this many
SURE = 0.9
BAD_PENALTY = 4.0            # each bad sequence per Thai char costs this much score
NLPO3_DICT = "thaiplan-words"  # name of pythainlp's word list inside nlpO3
PYTHAINLP_WORDS = "words_th.txt"   # the file of pythainlp.corpus that thai_words() reads

_THAI_RUN = regex.compile(r"[\u0e01-\u0e5b]+")
# above/below vowels and tone marks that must follow a consonant (or another mark)
_MARKS = "\u0e31\u0e34-\u0e3a\u0e47-\u0e4e"
# plain `re` (no feature of `regex` is needed): twice as fast on every page of every document
_BAD = re.compile(
    rf"(?:^|(?<=[^\u0e01-\u0e2e{_MARKS}]))[{_MARKS}]"   # mark with no base
    rf"|([\u0e48-\u0e4b])\1|([\u0e34-\u0e37\u0e31])\2"   # doubled tone mark / upper vowel
    r"|[\uf700-\uf71a]|\ufffd|\(cid:\d+\)"               # PUA glyphs, replacement char, cid
    r"|\u0e4d\u0e32",                                    # decomposed sara am
    re.MULTILINE)


@lru_cache(maxsize=1)
def _dictionary() -> frozenset:
    from pythainlp.corpus import thai_words
    return frozenset(thai_words())


def _packaged_words() -> Path | None:
    """pythainlp's word list as a file (one word a line, what `thai_words()` reads), when it is
    installed as one: nlpO3 loads it as is (saves writing a sorted copy: 45 ms of every start)."""
    try:
        from importlib.resources import files
        path = Path(str(files("pythainlp.corpus").joinpath(PYTHAINLP_WORDS)))
    except (ImportError, TypeError):
        return None
    return path if path.is_file() else None


@lru_cache(maxsize=1)
def _tokenizer():
    """newmm word segmentation over pythainlp's word list: nlpO3 (pythainlp's own newmm in
    Rust, the same tokens, ~5x faster) when installed, else pythainlp's Python newmm."""
    try:
        import nlpo3
    except ImportError:                        # pragma: no cover - nlpo3 is a dependency
        nlpo3 = None
    if nlpo3 is not None:
        packaged = _packaged_words()
        if packaged is not None:                 # the very list thai_words() reads: no copy
            message, loaded = nlpo3.load_dict(str(packaged), NLPO3_DICT)
        else:
            with tempfile.TemporaryDirectory() as tmp:
                words = Path(tmp) / "words_th.txt"
                words.write_text("\n".join(sorted(_dictionary())), "utf-8")
                message, loaded = nlpo3.load_dict(str(words), NLPO3_DICT)
        if loaded or "already exists" in message:
            return lambda text: nlpo3.segment(text, NLPO3_DICT)
    from pythainlp.tokenize import word_tokenize
    return lambda text: word_tokenize(text, engine="newmm", keep_whitespace=False)


def words_of(text: str) -> list[str]:
    """The text's words (newmm), white space left out."""
    return [tok for tok in _tokenizer()(text) if not tok.isspace()]


def is_word(token: str) -> bool:
    """A dictionary word of two letters or more (what word_share counts)."""
    return len(token) > 1 and token in _dictionary()


def bad_sequences(text: str) -> int:
    return len(_BAD.findall(text))


def _coverage(runs: list[str], limit: int) -> tuple[float | None, int]:
    sample, size = [], 0
    for run in runs:
        sample.append(run)
        size += len(run)
        if size >= limit:
            break
    if size < MIN_THAI_CHARS:
        return None, size
    return word_share(sample), size


def thai_runs(text: str) -> list[str]:
    return _THAI_RUN.findall(text)


def word_share(runs: list[str]) -> float | None:
    """Share of the runs' characters inside dictionary words of two letters or more (None for
    no text). One tokenizer call over the joined runs: its per-call cost dominates short runs."""
    words = _dictionary()
    hit = total = 0
    for tok in words_of(" ".join(runs)):
        total += len(tok)
        if len(tok) > 1 and tok in words:
            hit += len(tok)
    return hit / total if total else None


def dictionary_coverage(text: str) -> float | None:
    """Share of Thai characters inside dictionary words (None when too little Thai).
    A quick look first; only a doubtful page is read at length."""
    return _coverage_of_runs(thai_runs(text))


def _coverage_of_runs(runs: list[str]) -> float | None:
    quick, seen = _coverage(runs, QUICK_CHARS)
    if quick is None or quick >= SURE or seen < QUICK_CHARS:
        return quick
    return _coverage(runs, SAMPLE_CHARS)[0]


def text_quality(text: str) -> float | None:
    runs = thai_runs(text)
    coverage = _coverage_of_runs(runs)
    if coverage is None:
        return None
    thai_chars = sum(map(len, runs)) or 1
    penalty = BAD_PENALTY * bad_sequences(text) / thai_chars
    return max(0.0, min(1.0, coverage - penalty))
