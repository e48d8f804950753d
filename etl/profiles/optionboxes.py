"""The checkbox beside each option a question's band has found (bands.find_options): left
of the options or right of them, and on scans the boxes OCR glued into an option word or
read as a letter under it."""

from dataclasses import dataclass, replace

from ..pdf.checkbox import Checkbox, read_checkbox, read_checkbox_right
from ..pdf.text import Word
from .formspec import Option


@dataclass
class Found:
    """An option found in a question's band: its first and last word, on line `line`."""
    option: Option
    first: Word
    last: Word
    line: int


def read_states(view, found: list[Found]) -> list[Checkbox]:
    """The box beside each option: left of the options, or right of them ('nein ☐') when
    more boxes sit there (an option may have lost its box: a side is a majority). On a
    scan a box between two options is found from both; there the side whose boxes sit
    nearer their words wins."""
    left = [read_checkbox(view, f.first) for f in found]
    if all(box.state is not None for box in left) and not view.is_ocr:
        return left
    right = [read_checkbox_right(view, f.last) for f in found]
    if view.is_ocr:
        left, right = _off_other_options(found, left, False), _off_other_options(found, right, True)
        left, right = _letters_taken_for_boxes(view, left, False), _letters_taken_for_boxes(
            view, right, True)
        left, right = _inside_word_boxes(view, found, left, right)
        left = _crosses_read_as_x(view, found, left)
        right = _under_last_marks(view, found, right)
    count = lambda boxes: sum(box.state is not None for box in boxes)  # noqa: E731
    if view.is_ocr and count(right) == count(left):
        return right if _distance(found, right, True) < _distance(found, left, False) else left
    return right if count(right) > count(left) else left  # a tie: boxes left, as forms print


def _off_other_options(found: list[Found], boxes: list[Checkbox], right: bool) -> list:
    """A 'box' inside another option's word is one of its letters (tuning scan 8761-028,
    300 dpi Courier: the 'e' of 'erneuerbar' read as the ticked box right of 'keine /
    Aussage nicht möglich', whose own box OCR had glued to 'möglich'): no box there."""
    def inside(box: Checkbox, word: Word) -> bool:
        overlap = min(box.bbox[2], word.x1) - max(box.bbox[0], word.x0)
        return overlap > 0.5 * (box.bbox[2] - box.bbox[0]) and word.top < box.bbox[3] \
            and box.bbox[1] < word.bottom

    out = list(boxes)
    for n, box in enumerate(boxes):
        others = [f.first if right else f.last for m, f in enumerate(found) if m != n]
        if box.state is not None and any(inside(box, word) for word in others):
            out[n] = replace(box, state=None, confidence=0.0)
    return out


def _letters_taken_for_boxes(view, boxes: list[Checkbox], right: bool) -> list[Checkbox]:
    """A 'box' with a word going on right after it (a box right of an option) or ending
    right before it (left of one), no space between, is a letter the box finder took
    (tuning scan 8771-006, 150 dpi Courier: the 's' of 'siehe', painted out before OCR,
    read 'iehe', ticked the option it followed; held-out 9957-185, 200 dpi: 'Lei
    tungsfähige' ticked the goal whose words OCR split there)."""
    def glued(box: Checkbox) -> bool:
        middle = (box.bbox[1] + box.bbox[3]) / 2  # forms leave a space (3-4 pt) by a box
        return any(-0.5 <= (w.x0 - box.bbox[2] if right else box.bbox[0] - w.x1)
                   <= 0.3 * w.height and abs(w.mid_y - middle) < 0.5 * w.height
                   for w in view.words)

    return [replace(box, state=None, confidence=0.0) if box.state is not None and glued(box)
            else box for box in boxes]


CROSSES = ("X", "x", "[X]", "|X|", "[x]")  # how OCR reads a ticked box it did not see


def _crosses_read_as_x(view, found: list[Found], left: list) -> list:
    """A ticked box the box finder missed that OCR read as a letter ('X nein': tuning scan
    8762-021, 200 dpi, the answer lost): a cross-word of a box's size just left of an option
    with no box found is its ticked box."""
    out = list(left)
    for n, f in enumerate(found):
        if left[n].state is not None:
            continue
        word = f.first
        cross = next((w for w in view.words if w.text in CROSSES
                      and abs(w.mid_y - word.mid_y) < word.height * 0.6
                      and 0 <= word.x0 - w.x1 < 2.5 * word.height
                      and w.x1 - w.x0 < 2 * word.height), None)
        if cross is not None:
            out[n] = Checkbox(True, [cross.x0, cross.top, cross.x1, cross.bottom], "ocr", 0.6)
    return out


def _inside_word_boxes(view, found: list[Found], left: list, right: list) -> tuple[list, list]:
    """A box OCR took into its option word's box ('nein' read from 242 to 276 pt, the box
    at 268): where no box was found beside a word far wider than its letters, look again
    beside the word cut to its letters' width (the narrowest letters among the options)."""
    words = [w for f in found for w in (f.first, f.last) if len(w.text.strip(".,;:")) >= 2]
    if len(words) < 2 or len(found) > 4:  # a question's options, not a list of goals
        return left, right
    per_letter = min((w.x1 - w.x0) / len(w.text.strip(".,;:")) for w in words)
    left, right = list(left), list(right)
    for n, f in enumerate(found):
        if left[n].state is None:
            word = f.first
            wide = per_letter * len(word.text.strip(".,;:"))
            if word.x1 - word.x0 > wide * 1.45:
                left[n] = read_checkbox(view, replace(word, x0=word.x1 - wide * 1.05))
        if right[n].state is None:
            word = f.last
            wide = per_letter * len(word.text.strip(".,;:"))
            if word.x1 - word.x0 > wide * 1.45:
                right[n] = read_checkbox_right(view, replace(word, x1=word.x0 + wide * 1.05))
    return left, right


def _under_last_marks(view, found: list[Found], right: list) -> list:
    """A box right of its option that OCR read as a letter or digit ('J', '9', '4') which
    became the option's last word: where no box was found right of that word, look under
    it - a box nearer the word before it than the word after (else it is the next
    option's box, printed left of that)."""
    right = list(right)
    for n, f in enumerate(found):
        mark = f.last
        if right[n].state is not None or mark is f.first or len(mark.text) > 2:
            continue
        box = read_checkbox_right(view, replace(mark, x1=mark.x0 - 4.0))
        row = [w for w in view.words if abs(w.mid_y - mark.mid_y) < mark.height * 0.6]
        before = max((w.x1 for w in row if w.x1 <= mark.x0 + 0.5), default=None)
        after = min((w.x0 for w in row if w.x0 >= mark.x1 - 0.5), default=None)
        if box.state is not None and before is not None and (
                after is None or box.bbox[0] - before <= after - box.bbox[2]):
            right[n] = box
    return right


def _distance(found: list[Found], boxes: list[Checkbox], right: bool) -> float:
    gaps = [(box.bbox[0] - f.last.x1) if right else (f.first.x0 - box.bbox[2])
            for f, box in zip(found, boxes, strict=True) if box.state is not None]
    return sum(abs(g) for g in gaps) / len(gaps) if gaps else float("inf")
