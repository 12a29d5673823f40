"""Words for codes, in the reader's language: ranks and their scopes, dimensions and groups.

One place for the labels the pages, the downloads and the zone's report all print, so a rank
or a group reads the same on the screen and on paper. A code the catalogue does not know is
shown as it is (a zone's own group code), never as a catalogue key.
"""

from __future__ import annotations

from cpwb_stats.i18n import translate
from cpwb_stats.terms.ladders import ALL, Ladder


def group_label(dimension: str, group: str, language: str) -> str:
    """A group as the catalogue names it for its dimension, else the shared label, else the code.

    >>> group_label("gender", "woman", "nl"), group_label("gender", "xyz", "en")
    ('vrouw', 'xyz')
    """
    text = translate(f"group.{dimension}.{group}", language)
    if text.startswith("group."):
        text = translate(f"group.{group}", language)  # shared labels, e.g. other or not stated
    return group if text.startswith("group.") else text


def dimension_label(dimension: str, language: str) -> str:
    """A dimension's name; one the catalogue does not know reads with spaces for underscores."""
    text = translate(f"dimension.{dimension}", language)
    return dimension.replace("_", " ") if text.startswith("dimension.") else text


def rank_label(ladder: Ladder, category: str, rank: str, language: str) -> str:
    """A row of a by-rank table: the whole zone, all ranks of a staff category, or one rank."""
    if category == ALL:
        return translate("label.whole_zone", language)
    if rank == ALL:
        return translate("label.all_ranks_of", language,
                         category=ladder.category_label(category, language))
    return ladder.rank_label(rank, language)


def scope_label(ladder: Ladder, scope: str, language: str) -> str:
    """A target's or comparison's scope: the whole zone, a staff category, or a rank."""
    if scope == ALL:
        return translate("label.whole_zone", language)
    if scope in ladder.categories:
        return ladder.category_label(scope, language)
    return ladder.rank_label(scope, language)
