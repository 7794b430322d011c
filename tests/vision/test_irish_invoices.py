"""Irish invoices: an address that names its county ('Co. Cork') and an Eircode names no company."""

from tests.vision.corpus import make_invoice, same, write_pdf
from tests.vision.corpus_blind4 import BLIND4_LAYOUTS  # noqa: F401 (registers ie_vat)
from vision import read_invoice
from vision.issuer import ADDRESS


def test_a_county_and_an_eircode_are_an_address():
    for line in ("Ballincollig, Co. Cork P31 K7D2", "Galway H91 E2W4", "Dublin 8 D08 T6Y1", "Mitchelstown, Co. Cork"):
        assert ADDRESS.search(line), line
    for name in ("Fabrikam Co. Ltd", "Hudson & Co.", "A12 Cake Shop", "Liffey Digital Teoranta"):
        assert not ADDRESS.search(name), name


def test_the_seller_above_a_county_address_is_the_issuer_not_its_town(tmp_path):
    for seed in (100906, 100908, 100919, 100931):  # sellers in 'Ballincollig, Co. Cork'
        inv = make_invoice(seed, "ie_vat")
        result = read_invoice(write_pdf(inv, tmp_path / f"{seed}.pdf"), templates=[])
        issuer = result.plain_fields().get("issuer")
        assert same("issuer", issuer, inv.truth["issuer"]), (seed, issuer)
