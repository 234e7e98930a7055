"""Repair of Thai text taken from broken PDF text layers.

A fixed, documented order of small `str -> str` rules, each safe on correct Thai (it changes
nothing there). Run them on a line or a cell, never to collapse a page: they keep newlines.

1. `map_pua`: glyph variants in the Private Use Area back to standard characters. Fonts made
   for Windows (U+F700-U+F71A) and Mac (U+F884-U+F89E) Thai draw shifted tone marks and vowels
   and descender-less ญ/ฐ there; the table is the inverse of HarfBuzz's Thai PUA shaping table
   (hb-ot-shaper-thai.cc: shift-down, shift-down-left, shift-left, remove-descender).
2. `restore_sara_am`: a glyph without a Unicode mapping (U+FFFD) between a consonant (and its
   tone mark) and sara aa is the nikhahit of a sara am the font draws in two glyphs ("ประจ�าปี",
   "ส�านัก" on cover pages) -> sara am. `drop_garbage`: U+FFFD, (cid:N) and control characters
   (then, so that what they separated is seen together by the rules that follow).
3. `map_latin1_marks`: shifted tone-mark glyphs that a font left without a Unicode mapping come
   out as their single-byte codes É Ê Ë Ì Í (0xC9-0xCD) = ่ ้ ๊ ๋ ์; mapped only next to Thai.
   `map_latin1_thai`: runs of Latin-1 letters that are TIS-620 bytes read as Latin-1 ("¡ÒÃ").
4. `compose_sara_am`: nikhahit + sara aa -> sara am; a doubled sara am, or sara am followed by
   the sara aa drawn again ("สำานัก"), -> one sara am (no Thai word has ำา).
5. `dedupe_marks`: a mark repeated on the same base character ("คุุ", "ศน์์") -> once.
6. `order_marks`: marks on one base in Unicode order: vowel (above/below) before tone mark.
"""

import re

import regex

from normalizers.text import compose_sara_am as _compose

# inverse of HarfBuzz's Thai PUA tables: {PUA code point: standard character}
_PUA_WINDOWS = {
    0xF700: "ฐ", 0xF701: "ิ", 0xF702: "ี", 0xF703: "ึ", 0xF704: "ื",
    0xF705: "่", 0xF706: "้", 0xF707: "๊", 0xF708: "๋", 0xF709: "์",
    0xF70A: "่", 0xF70B: "้", 0xF70C: "๊", 0xF70D: "๋", 0xF70E: "์",
    0xF70F: "ญ", 0xF710: "ั", 0xF711: "ํ", 0xF712: "็",
    0xF713: "่", 0xF714: "้", 0xF715: "๊", 0xF716: "๋", 0xF717: "์",
    0xF718: "ุ", 0xF719: "ู", 0xF71A: "ฺ",
}
_PUA_MAC = {
    0xF884: "ั", 0xF885: "ิ", 0xF886: "ี", 0xF887: "ึ", 0xF888: "ื", 0xF889: "็",
    0xF88A: "่", 0xF88B: "่", 0xF88C: "่", 0xF88D: "้", 0xF88E: "้", 0xF88F: "้",
    0xF890: "๊", 0xF891: "๊", 0xF892: "๊", 0xF893: "๋", 0xF894: "๋", 0xF895: "๋",
    0xF896: "์", 0xF897: "์", 0xF898: "์", 0xF899: "ํ", 0xF89A: "ญ", 0xF89B: "ุ",
    0xF89C: "ู", 0xF89D: "ฺ", 0xF89E: "ฐ",
}
PUA_TABLE = str.maketrans({**_PUA_WINDOWS, **_PUA_MAC})

VOWEL_MARKS = "\u0e31\u0e34\u0e35\u0e36\u0e37\u0e38\u0e39\u0e3a\u0e47"
TONE_MARKS = "\u0e48\u0e49\u0e4a\u0e4b\u0e4c\u0e4d\u0e4e"
_CLUSTER = regex.compile(f"([\u0e01-\u0e2e])([{VOWEL_MARKS}{TONE_MARKS}]{{2,}})")
_LATIN1_RUN = regex.compile(r"[\u00a1-\u00fb]{3,}")
_DOUBLE_SARA_AM = regex.compile("\u0e33[\u0e33\u0e32]+")      # ำำ, ำา (the aa drawn twice: สำานัก)
_GARBAGE = regex.compile(r"\ufffd|\(cid:\d+\)|[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def map_pua(text: str) -> str:
    return text.translate(PUA_TABLE)


LATIN1_TONE_MARKS = {0xC9: 0x0E48, 0xCA: 0x0E49, 0xCB: 0x0E4A, 0xCC: 0x0E4B, 0xCD: 0x0E4C}
_LATIN1_MARKS = regex.compile(r"(?<=[\u0e01-\u0e4e]\s?)[\u00c9-\u00cd]+")


def map_latin1_marks(text: str) -> str:
    return _LATIN1_MARKS.sub(lambda m: "".join(chr(LATIN1_TONE_MARKS[ord(c)]) for c in m[0]), text)


def map_latin1_thai(text: str) -> str:
    def fix(m):
        try:
            thai = m[0].encode("latin-1").decode("cp874")
        except UnicodeError:
            return m[0]
        return thai if regex.fullmatch(r"[\u0e01-\u0e5b]+", thai) else m[0]
    return _LATIN1_RUN.sub(fix, text)


_NIKHAHIT_UNMAPPED = regex.compile("(?<=[\u0e01-\u0e2e][\u0e48-\u0e4b]?)\ufffd\u0e32")


def restore_sara_am(text: str) -> str:
    return _NIKHAHIT_UNMAPPED.sub("\u0e33", text)


def drop_garbage(text: str) -> str:
    return _GARBAGE.sub("", text)


def compose_sara_am(text: str) -> str:
    return _DOUBLE_SARA_AM.sub("\u0e33", _compose(text))


def _dedupe(m) -> str:
    seen = []
    for ch in m[2]:
        if ch not in seen:
            seen.append(ch)
    return m[1] + "".join(seen)


def _order(m) -> str:
    marks = m[2]
    return m[1] + "".join(c for c in marks if c in VOWEL_MARKS) + "".join(c for c in marks if c in TONE_MARKS)


def dedupe_marks(text: str) -> str:
    return _CLUSTER.sub(_dedupe, text)


def order_marks(text: str) -> str:
    return _CLUSTER.sub(_order, text)


REPAIR_RULES = (map_pua, restore_sara_am, drop_garbage, map_latin1_marks, map_latin1_thai, compose_sara_am, dedupe_marks, order_marks)


def repair_thai(text: str) -> str:
    for rule in REPAIR_RULES:
        text = rule(text)
    return text


# Everything any rule above acts on; text with none of it is left as is by all of them, so a
# search for it lets correct text (nearly all of a good PDF) skip the rules. Two marks on a
# base change only when repeated or a tone mark comes first (ที่ is left alone).
_TRIGGER = re.compile(      # plain `re`: half the time of `regex` here (every PDF segment)
    f"[\uf700-\uf71a\uf884-\uf89e\ufffd\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u00a1-\u00fb\u0e4d]"
    f"|\\(cid:|\u0e33[\u0e33\u0e32]"
    f"|[{TONE_MARKS}][{VOWEL_MARKS}]|([{VOWEL_MARKS}{TONE_MARKS}])\\1|[{VOWEL_MARKS}{TONE_MARKS}]{{3}}")


def may_need_repair(text: str) -> bool:
    """False means `repair_thai(text) == text` (a cheap test for the common case)."""
    return _TRIGGER.search(text) is not None


def needs_repair(text: str) -> bool:
    return repair_thai(text) != text
