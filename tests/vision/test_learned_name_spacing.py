"""A vendor's learned name found again when a later scan sets its spaces otherwise."""
from vision.learned import LearnedTemplate, find_learned


def _bakery(name_as_taught: str) -> LearnedTemplate:
    return LearnedTemplate("Pekařství Horák a dcera", names=[name_as_taught])


def test_a_name_taught_with_two_words_run_together_is_found_where_they_stand_apart():
    # the approving clerk kept the issuer as that scan read it: 'adcera', one word
    template = _bakery("Pekarstvi Horak adcera")
    page = "FAKTURA c. 2026-118\nDodavatel: Pekarstvi Horak a dcera s.r.o.\nBrno, Masarykova 4"
    found, sureness = find_learned([template], page)
    assert found is template and sureness >= 1.5


def test_a_name_taught_apart_is_found_where_a_scan_ran_its_words_together():
    template = _bakery("Pekarstvi Horak a dcera")
    found, _ = find_learned([template], "Dodavatel: PekarstviHorak a dcera\nIC 12345678")
    assert found is template


def test_spacing_forgives_no_letter_more_or_less():
    # one letter more is another firm's name, whatever the spaces: a person looks
    template = _bakery("Pekarstvi Horak adcera")
    assert template.score("Dodavatel: Pekarstvi Horakova dcera s.r.o.") == 0
    assert template.score("Dodavatel: Pekarstvi Horak a dcerami") == 0
