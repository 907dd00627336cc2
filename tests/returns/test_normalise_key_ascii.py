"""Matching keys: ASCII codes (JL2025-00001) by a bytes table, other text by a table filled as characters are
met; both give the key of the one rule (NFKC, casefold, drop punctuation, separators, controls and spaces)."""

from __future__ import annotations

import random
import string
import unicodedata

from app.returns.match import normalise_key


def _by_the_rule(text: str) -> str:
    folded = unicodedata.normalize("NFKC", text).casefold()
    return "".join(c for c in folded if unicodedata.category(c)[0] not in "PZC" and not c.isspace())


def test_ascii_text_gets_the_key_of_the_general_rule() -> None:
    rng = random.Random(5)
    alphabet = [chr(c) for c in range(128)]
    samples = ["JL2025-00001", "ZD_01", "a b\tc", "(1)", "x+y=z", "$100", "~`^|<>", "A.B,C;D:E!F?G", ""]
    samples += ["".join(rng.choice(string.printable) for _ in range(rng.randint(1, 24))) for _ in range(2000)]
    samples += ["".join(rng.choice(alphabet) for _ in range(rng.randint(1, 12))) for _ in range(2000)]
    for text in samples:
        assert normalise_key(text) == _by_the_rule(text), repr(text)
    assert normalise_key("JL2025-00001") == "jl202500001"
    assert normalise_key("x+y") == "x+y"  # symbols are kept, as before
    assert normalise_key(12345.0) == "123450"


def test_any_text_gets_the_key_of_the_general_rule_whatever_came_before() -> None:
    # The drop table grows with the characters met: a character first seen late is still dropped or kept right.
    rng = random.Random(9)
    pool = list("省级“两化”深度融合试验区（二期）、·—…　ＡＢＣ１２３％¥㎡〇①Ⅻ\u200b\u3000\ufeff") + [
        chr(rng.randrange(0x80, 0x10000)) for _ in range(400)
    ]
    for _ in range(3000):
        text = "".join(rng.choice(pool) for _ in range(rng.randint(1, 16)))
        assert normalise_key(text) == _by_the_rule(text), repr(text)
    assert normalise_key("省级“两化”深度融合试验区") == normalise_key("省级两化深度融合试验区")
