"""Personal names written in Latin letters: ``Jinni Dreyer``, ``DREYER, Jinni``, ``José O'Brien``.

Registers outside China, and foreigners in Chinese ones, write a Latin name given name
first, or surname first before a comma. Both spellings give the same ``Name``, whose
``text`` is the comma form (``dreyer, jinni``; a one-word surname alone is just the
word): it alone says which part is which, so it parses back to the same name whatever
the surname looks like. Without a comma the last
word is the surname, together with the particles before it (``anna van der berg``); the
one word of a one-word name is taken as the surname, since which part it is cannot be
told, and the name comparison tries both orders anyway.

Case and accents are folded (``José`` is ``jose``), apostrophes and hyphens joined
(``o'brien`` is ``obrien``): clerks drop them as often as they keep them. ``pinyin``,
for a Chinese name its sound, is here the words in alphabetical order, so a register
that swapped given name and surname still agrees on it, and blocking on it finds the
pair; ``surname_pinyin`` and ``given_pinyin`` are the parts without spaces.
"""

from __future__ import annotations

import re
import unicodedata

from identity.cleaning import is_placeholder, shown

_BRACKETED = re.compile(r"[(\[【（].*?(?:[)\]】）]|$)")
_WORD = re.compile(r"[a-z]+(?:['’-][a-z]+)*")
_JOINERS = str.maketrans("", "", "'’-")
_NAME_CHARACTERS = re.compile(r"[a-z\s,.'’-]*")
_PARTICLES = frozenset(
    ("van", "von", "der", "den", "de", "del", "della", "di", "da", "du", "la", "le", "dos", "ter")
)
_LONGEST = 8  # words


def parse_latin_name(text: str) -> tuple[tuple[str, str] | None, str | None]:
    """((surname, given name), reason or None) of cleaned text without Chinese characters,
    or (None, reason); each part is lower-case words, one of the two may be empty."""
    reason = None
    written = text
    if _BRACKETED.search(text):
        text = _BRACKETED.sub(" ", text)
        reason = f"dropped a bracketed remark from {shown(written)}"
    folded = fold_accents(text).lower()
    if not _NAME_CHARACTERS.fullmatch(folded):
        reason = f"dropped characters that are no part of a name from {shown(written)}"
    surname_part, comma, given_part = folded.partition(",")
    words = _words(surname_part)
    if comma:
        surname, given = words, _words(given_part)
    else:
        start = len(words) - 1
        while start > 0 and words[start - 1] in _PARTICLES:
            start -= 1
        surname, given = words[start:], words[:start]
    if not surname and not given:
        return None, f"no name in {shown(written)}"
    if len(surname) + len(given) > _LONGEST:
        return None, f"too long for a name ({len(surname) + len(given)} words)"
    joined = " ".join((*given, *surname))
    if is_placeholder(joined) or is_placeholder(joined.replace(" ", "")):
        return None, f"placeholder {shown(written)}"
    return (" ".join(surname), " ".join(given)), reason


def fold_accents(text: str) -> str:
    """``José Müller`` → ``Jose Muller``: letters without their diacritics."""
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def _words(text: str) -> list[str]:
    return [word.translate(_JOINERS) for word in _WORD.findall(text)]
