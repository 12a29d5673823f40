import pytest

from cpwb_stats.terms.ladders import BELGIAN_POLICE, ENGLAND_WALES, RCMP, best_ladder, ladder_from_dict


@pytest.mark.parametrize("raw, code", [
    ("Agent van politie", "agent"), ("agent de police", "agent"), ("INP", "inspector"),
    ("Hoofdinspecteur", "chief-inspector"), ("Inspecteur principal", "chief-inspector"),
    ("Commissaire divisionnaire", "chief-commissioner"), ("HOOFDCOMMISSARIS", "chief-commissioner"),
    ("Niveau A", "calog-a"), ("CALog D", "calog-d"), ("niveau-b", "calog-b"), ("aspirant", None),
])
def test_belgian_rank_labels_in_three_languages(raw, code):
    assert BELGIAN_POLICE.rank_code(raw) == code


def test_ranks_are_ordered_lowest_first_within_categories():
    order = BELGIAN_POLICE.order_key()
    assert order["agent"] < order["inspector"] < order["chief-commissioner"]
    assert BELGIAN_POLICE.categories == ("operational", "calog")
    assert BELGIAN_POLICE.category_of("calog-a") == "calog"
    assert order["all"] > max(order[c] for c in BELGIAN_POLICE.rank_codes)


@pytest.mark.parametrize("ranks, ladder", [
    (["Constable", "Chief Officer"], ENGLAND_WALES), (["Corporal", "Staff Sergeant"], RCMP),
    (["Inspecteur", "Commissaris"], BELGIAN_POLICE), (["Inspector"], BELGIAN_POLICE),
])
def test_best_ladder(ranks, ladder):
    assert best_ladder(ranks) is ladder


def test_custom_ladder_from_config():
    ladder = ladder_from_dict({"name": "zone", "categories": {"civil": {
        "labels": {"en": "Civilian"}, "ranks": [{"code": "clerk"}, {"code": "head",
                                                                   "aliases": ["chef"]}]}}})
    assert ladder.rank_codes == ("clerk", "head") and ladder.rank_code("Chef") == "head"
