"""Lines are tried against every language's rounding word; the cheap test that skips a word
must never skip one the full count of worn letters would accept."""

from itertools import product

from vision.receipts import _could_be_worn, _letters_worn

# folded words a rounding label may be read as, worn, with look-alikes, cut short, or no rounding at all
_READ = ["rovndinq", "nnnntnnrmento", "arrunaonbanmento", "zaokraglen", "pembundaran", "pembundaranx",
         "afrondlng", "rundung", "subtotal", "kembalian", "ganzanderes", "roundingdifferenz", "aronding"]
_WORDS = ["rounding", "arrotondamento", "zaokraglenie", "pembundaran", "afronding", "rundungsdifferenz"]


def test_every_word_the_count_accepts_passes_the_cheap_test():
    for read, word, worn in product(_READ, _WORDS, (2, 3)):
        if _letters_worn(read, word) <= worn:
            assert _could_be_worn(read, word, worn), (read, word, worn)


def test_six_look_alike_letters_are_three_worn_and_still_tried():
    # r as n twice, o as u twice, t as y, d as b: each counts half
    read = "annuyunbamento"
    assert _letters_worn(read, "arrotondamento") == 3
    assert _could_be_worn(read, "arrotondamento", 3)


def test_a_word_longer_by_more_letters_than_may_wear_is_skipped():
    assert not _could_be_worn("rundungsdifferenz", "rounding", 3)
    assert not _could_be_worn("subtotal", "rounding", 2)
