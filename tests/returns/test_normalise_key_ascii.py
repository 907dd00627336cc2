"""Matching keys of ASCII codes (JL2025-00001) are made by a bytes table: the same key as the general table."""

from __future__ import annotations

import random
import string
import unicodedata

from app.returns.match import _noise_table, normalise_key


def test_ascii_text_gets_the_same_matching_key_as_through_the_general_table() -> None:
    rng = random.Random(5)
    samples = ["JL2025-00001", "ZD_01", "a b\tc", "(1)", "x+y=z", "$100", "~`^|<>", "A.B,C;D:E!F?G", ""]
    samples += ["".join(rng.choice(string.printable) for _ in range(rng.randint(1, 24))) for _ in range(3000)]
    table = _noise_table()
    for text in samples:
        folded = unicodedata.normalize("NFKC", text).casefold()
        assert normalise_key(text) == folded.translate(table), text
    assert normalise_key("JL2025-00001") == "jl202500001"
    assert normalise_key("x+y") == "x+y"  # symbols are kept, as before
