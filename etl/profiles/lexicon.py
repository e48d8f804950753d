"""Is a word of running text German as printed? A scan's word that is not is read again.

The word list is the system's German dictionary (Debian's `wngerman`, installed with
Tesseract by `make system-deps`; `RATSDATEN_WORDLIST` names another) and the nouns of
Tesseract's German model's dictionary. German builds words
without end, so a compound counts as known when it splits into known words, with the
joints German uses ('Ordnung|s|amt', 'klima|relevanten'). Without a word list every word
counts as known and nothing is read again.
"""

import os
import re
from functools import lru_cache
from pathlib import Path

DEFAULT_WORDLIST = "/usr/share/dict/ngerman"
JOINTS = ("", "s", "es", "n", "en", "e", "er")  # Fugenelemente
MIN_PART = 3  # a compound's parts: 'Amt', 'Bau'
TWO_CAPITALS = re.compile(r"[A-ZÄÖÜ]{2}[a-zäöüß]{3}")  # 'XKindaer': a speck before a word
NOUN = re.compile(r"[A-ZÄÖÜ][a-zäöüß]{3,}")
EDGE_MARKS = "„“”\"'‚‘’()[],.;:!?…"


@lru_cache(maxsize=1)
def words() -> frozenset[str]:
    path = Path(os.environ.get("RATSDATEN_WORDLIST", DEFAULT_WORDLIST))
    try:
        listed = path.read_text(encoding="utf-8").split()
    except (OSError, UnicodeDecodeError):
        return frozenset()
    return frozenset(listed) | tesseract_nouns()


def tesseract_nouns() -> frozenset[str]:
    """The nouns of the German OCR model's own dictionary: the word list lacks some of the
    commonest ('Schule', 'Verkehr', 'Plan', 'Kosten'), whose compounds then failed to split
    ('Radverkehr'). Only capitalised words of four letters or more: the model's list also
    holds scraps ('bi', 'ind', 'amt') that would hide OCR's slips."""
    from ..pdf.tesseract import model_words

    return frozenset(w for w in model_words("deu") if NOUN.fullmatch(w))


def available() -> bool:
    return bool(words())


def known(token: str, may_start: bool = True) -> bool:
    """True for a word in the list (a capitalised one listed lower case when it `may_start`
    a sentence), a compound of listed words, or anything that is not a plain word (numbers,
    references, abbreviations; hyphenated and dotted parts are judged part by part)."""
    bare = token.strip(EDGE_MARKS)
    if not words() or not bare:
        return True
    if len(bare) == 1 and bare.islower() and not token.endswith("."):
        return False  # no German word is one small letter ('i' for 'im': held-out 9957-127)
    parts = [p for p in re.split(r"[-./]", bare) if p]  # 'Kinder-', 'e.V.', 'und/oder'
    return all(_known_word(p, may_start) for p in parts)


def _known_word(word: str, may_start: bool) -> bool:
    if not word.isalpha() or len(word) < 2 or word.isupper():
        return True  # not a plain word: 'VII', 'SächsGemO' is mixed but alphabetic
    if _listed(word) or may_start and _listed_as_start(word):
        return True
    if any(c.isupper() for c in word[1:]) and not TWO_CAPITALS.match(word):
        # 'SächsGemO', 'BgA': names and abbreviations, not for the dictionary; but not a
        # word with a capital OCR put into it ('FachausschuUss': held-out 9957-160)
        return not any(c.isupper() and _plain_known(word[:k] + word[k + 1:])
                       for k, c in enumerate(word[1:], 1))
    return _compound(word)


def _plain_known(word: str) -> bool:
    """A word of one capital at most, in the list or a compound of it."""
    return not any(c.isupper() for c in word[1:]) and (_listed(word) or _compound(word))


def _listed(word: str) -> bool:
    return word in words()


def listed(word: str) -> bool:
    """`word` itself is in the list (no compound, no guess): False without a list."""
    return _listed(word) or _listed_as_start(word)


def _listed_as_start(word: str) -> bool:
    """'Die', 'Nach' starting a sentence stand in the list lower case."""
    return word[:1].isupper() and word.lower() in words()


@lru_cache(maxsize=4096)
def _compound(word: str) -> bool:
    """`word` as a known head, a joint and a known tail that carries the word's case
    ('Ordnungsamt': Ordnung, s, Amt; 'klimarelevanten': Klima, relevanten)."""
    for cut in range(MIN_PART, len(word) - MIN_PART + 1):
        head, tail = word[:cut], word[cut:]
        tail_as_word = tail.capitalize() if word[:1].isupper() else tail
        if not word[:1].isupper() and len(tail) < 4:
            continue
        if not (_listed(tail_as_word) or word[:1].isupper() and _compound(tail_as_word)):
            continue
        for joint in JOINTS:
            if joint and not head.endswith(joint):
                continue
            stem = head[:len(head) - len(joint)] if joint else head
            if len(stem) >= MIN_PART and _head(stem, noun=word[:1].isupper(), joint=joint):
                return True
    return False


def _head(stem: str, noun: bool, joint: str) -> bool:
    """A compound noun's head may be any word ('Groß|stadt'), but a noun before a joint
    ('Ordnung|s|amt': 'Rät|s|versammlung' is no word); a lower-case compound's is a noun
    ('klima|relevant'), so two small words run together ('nimmtden') stay unknown."""
    if not noun or joint:
        return _listed(stem.capitalize())
    return _listed(stem) or _listed(stem.capitalize()) or _listed(stem.lower())


def unknown(text: str, may_start: bool = True) -> list[str]:
    """The words of `text` the list does not know; a capitalised word listed lower case only
    after a sentence's end, or first when `text` may start one ('Tafele' mid-sentence is no
    word)."""
    tokens = text.split()
    return [t for i, t in enumerate(tokens)
            if not known(t, may_start if i == 0 else tokens[i - 1].endswith((".", ":", "!", "?")))]
