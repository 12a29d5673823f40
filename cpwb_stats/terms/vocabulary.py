"""The words of the data contract: canonical fields, designated-group dimensions and their aliases.

Headers and codes arrive in English, Dutch or French, with accents, capitals and stray
punctuation. Everything is compared through :func:`normalise_label`, so an alias is written once
in its plain form ("date de reference") and matches "Date de référence" or "DATE_DE_REFERENCE".
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import cached_property

UNDISCLOSED = "undisclosed"
UNKNOWN = "unknown"
NOT_DECLARED = (UNDISCLOSED, UNKNOWN)


def normalise_label(text: object) -> str:
    """Fold a header or code to lower-case ASCII words separated by single spaces.

    >>> normalise_label("  Date de Référence_2 ")
    'date de reference 2'
    """
    if text is None:
        return ""
    folded = unicodedata.normalize("NFKD", str(text))
    ascii_text = folded.encode("ascii", "ignore").decode("ascii").lower()
    return re.sub(r"[^a-z0-9=]+", " ", ascii_text).strip()


@dataclass(frozen=True)
class Dimension:
    """A designated-group dimension: its values (declared first) and their aliases."""

    name: str
    declared: tuple[str, ...]
    undisclosed: tuple[str, ...] = (UNDISCLOSED,)
    unknown: tuple[str, ...] = (UNKNOWN,)
    aliases: dict[str, str] = field(default_factory=dict)

    @property
    def values(self) -> tuple[str, ...]:
        return self.declared + self.undisclosed + self.unknown

    def is_declared(self, value: str) -> bool:
        return value in self.declared

    def code_for(self, raw: object) -> str | None:
        """The canonical value for a raw cell, or None when it is not recognised."""
        key = normalise_label(raw)
        if key in self._lookup:
            return self._lookup[key]
        return None

    @cached_property
    def _lookup(self) -> dict[str, str]:
        table = {normalise_label(v): v for v in self.values}
        table.update({normalise_label(k): v for k, v in self.aliases.items()})
        table.setdefault("", self.unknown[0])
        return table


_UNDISCLOSED_ALIASES = [
    "prefer not to say", "not disclosed", "declined", "refused", "wil niet zeggen",
    "zegt liever niet", "niet meegedeeld", "geen antwoord", "ne souhaite pas repondre",
    "prefere ne pas repondre", "non communique", "pas de reponse",
]
_UNKNOWN_ALIASES = [
    "unknown", "not stated", "not known", "not recorded", "missing", "n a", "na", "onbekend",
    "niet gekend", "niet ingevuld", "inconnu", "non renseigne", "non connu", "?",
]


def _yes_no_aliases() -> dict[str, str]:
    yes = ["y", "ja", "j", "oui", "o", "true", "1", "waar", "vrai"]
    no = ["n", "nee", "neen", "non", "false", "0", "onwaar", "faux"]
    table = {alias: "yes" for alias in yes} | {alias: "no" for alias in no}
    table |= {alias: UNDISCLOSED for alias in _UNDISCLOSED_ALIASES}
    table |= {alias: UNKNOWN for alias in _UNKNOWN_ALIASES}
    return table


GENDER = Dimension(
    name="gender",
    declared=("woman", "man", "x"),
    aliases={
        **{a: "woman" for a in ["women", "female", "f", "v", "w", "vrouw", "vrouwen",
                                "vrouwelijk", "femme", "femmes", "feminin"]},
        **{a: "man" for a in ["men", "male", "m", "h", "homme", "hommes", "masculin", "man",
                              "mannen", "mannelijk"]},
        **{a: "x" for a in ["non binary", "nonbinary", "non binair", "non binaire", "other",
                            "anders", "autre", "self described", "prefer to self describe",
                            "zelf omschreven", "autre identite"]},
        **{a: UNDISCLOSED for a in _UNDISCLOSED_ALIASES},
        **{a: UNKNOWN for a in _UNKNOWN_ALIASES},
    },
)
MIGRATION_BACKGROUND = Dimension(
    name="migration_background", declared=("yes", "no"), aliases=_yes_no_aliases()
)
DISABILITY = Dimension(name="disability", declared=("yes", "no"), aliases=_yes_no_aliases())

BUILT_IN_DIMENSIONS: dict[str, Dimension] = {
    d.name: d for d in (GENDER, MIGRATION_BACKGROUND, DISABILITY)
}

# Canonical workforce fields and the headers that mean them (normalised form).
FIELD_ALIASES: dict[str, list[str]] = {
    "reference_date": [
        "reference date", "reference_date", "date", "period", "year", "snapshot date",
        "as at", "as at 31 march", "financial year", "year ending 31 march", "year ending",
        "peildatum", "referentiedatum", "datum", "periode", "jaar",
        "date de reference", "date reference", "annee",
    ],
    "zone": [
        "zone", "police zone", "force", "force name", "police force", "politiezone", "korps",
        "zone de police", "zone name", "pz", "zp",
    ],
    "rank": ["rank", "rank description", "grade", "graad", "rang", "grade actuel"],
    "staff_category": [
        "staff category", "category", "personnel category", "personeelscategorie",
        "categorie", "kader", "categorie de personnel", "cadre",
    ],
    "gender": ["gender", "sex", "geslacht", "gender identity", "sexe", "genre"],
    "migration_background": [
        "migration background", "migratieachtergrond", "migratie achtergrond", "herkomst",
        "origine migratoire", "origine", "migration",
    ],
    "disability": ["disability", "handicap", "beperking", "arbeidshandicap", "disabled"],
    "age_band": [
        "age band", "age group", "age", "leeftijdsgroep", "leeftijdscategorie", "leeftijd",
        "tranche d age", "classe d age", "age categorie",
    ],
    "entry_year": [
        "entry year", "year of entry", "year joined", "jaar van indiensttreding",
        "indiensttreding", "jaar indiensttreding", "annee d entree", "annee entree",
        "annee d entree en service",
    ],
    "campaign": ["campaign", "recruitment campaign", "selection", "campagne", "wervingscampagne",
                 "selectie", "selectieronde", "session", "sessie", "campagne de recrutement"],
    "track": ["track", "post", "post applied for", "functie", "betrekking", "fonction", "poste"],
    "stage_reached": ["stage reached", "furthest stage", "last stage", "bereikte stap",
                      "laatste stap", "bereikte fase", "etape atteinte", "derniere etape"],
    "stage": ["stage", "step", "stap", "fase", "etape", "phase", "selection stage"],
    "outcome": ["outcome", "result", "resultaat", "uitslag", "resultat", "issue"],
    "movement": ["movement", "movement type", "type of movement", "event", "event type",
                 "flow", "joiner or leaver", "beweging", "soort beweging", "mutatie", "mouvement",
                 "type de mouvement", "evenement"],
    "leave_reason": ["leave reason", "reason for leaving", "leaving reason", "reason", "leaver type",
                     "type of leaver", "reden", "reden van vertrek", "vertrekreden",
                     "uitstroomreden", "motif", "motif de depart", "raison du depart"],
    "from_rank": ["from rank", "previous rank", "former rank", "vorige graad", "oude graad",
                  "grade precedent", "ancien grade"],
    "fte": ["fte", "vte", "etp", "total fte", "full time equivalent", "voltijdse equivalenten"],
    "count": ["count", "number", "n", "aantal", "nombre", "headcount", "total headcount",
              "effectif", "personen", "persons"],
    "total": ["total", "totaal", "totaux", "total general", "grand total", "all", "alle",
              "tous", "ensemble"],
}

MOVEMENTS = ("hire", "leave", "promotion")
MOVEMENT_ALIASES: dict[str, str] = {
    **dict.fromkeys(["hire", "hires", "joiner", "joiners", "joined", "join", "recruit",
                     "recruitment", "in", "inflow", "entry", "aanwerving", "instroom",
                     "indiensttreding", "recrutement", "entree", "engagement"], "hire"),
    **dict.fromkeys(["leave", "leaver", "leavers", "left", "exit", "out", "outflow", "departure",
                     "uitstroom", "vertrek", "uittreding", "depart", "sortie"], "leave"),
    **dict.fromkeys(["promotion", "promotions", "promoted", "bevordering", "promotie",
                     "avancement"], "promotion"),
}
LEAVE_REASONS = ("resignation", "retirement", "transfer", "dismissal", "end_of_contract",
                 "death_or_ill_health", "other")
VOLUNTARY = "resignation"
LEAVE_REASON_ALIASES: dict[str, str] = {
    **dict.fromkeys(["resignation", "resigned", "voluntary resignation", "voluntary",
                     "ontslag op eigen verzoek", "eigen verzoek", "vrijwillig vertrek",
                     "vrijwillig ontslag", "demission", "demission volontaire"], "resignation"),
    **dict.fromkeys(["retirement", "retired", "normal retirement", "pension", "pensioen",
                     "pensionering", "retraite", "mise a la retraite"], "retirement"),
    **dict.fromkeys(["transfer", "transferred", "transfer to another force", "transfer out",
                     "transfer to other police force", "transfer to other force",
                     "transfer to another police force", "transferred out",
                     "mobility", "mobiliteit", "mutatie", "overplaatsing", "mobilite",
                     "mutation", "transfert"], "transfer"),
    **dict.fromkeys(["dismissal", "dismissed", "dismissed or required to resign",
                     "dismissed required to resign", "required to resign",
                     "ontslag", "afzetting", "ontslagen", "revocation", "licenciement",
                     "destitution"], "dismissal"),
    **dict.fromkeys(["end of contract", "end_of_contract", "failed probation",
                     "end of probation", "einde contract", "einde overeenkomst",
                     "niet geslaagd proefperiode", "fin de contrat", "fin de stage"],
                    "end_of_contract"),
    **dict.fromkeys(["death or ill health", "death_or_ill_health", "death", "deceased", "died",
                     "ill health", "medical retirement", "ill health retirement", "overlijden",
                     "overlijden of ziekte", "deces ou maladie",
                     "ziekte", "deces", "maladie"], "death_or_ill_health"),
    **dict.fromkeys(["other", "others", "ander", "andere", "overige", "autre", "autres",
                     "other incl end of fixed term", "not known", "unknown"], "other"),
}

# Wide-shape count columns: header -> "dimension=value".
WIDE_ALIASES: dict[str, str] = {
    **{a: "gender=woman" for a in ["women", "woman", "female", "females", "vrouwen", "vrouw",
                                   "femmes", "femme"]},
    **{a: "gender=man" for a in ["men", "man", "male", "males", "mannen", "hommes", "homme"]},
    **{a: "gender=x" for a in ["non binary", "non binair", "non binaire", "x"]},
    **{a: "migration_background=yes" for a in [
        "with migration background", "migration background yes", "met migratieachtergrond",
        "migratieachtergrond ja", "avec origine migratoire", "origine migratoire oui"]},
    **{a: "migration_background=no" for a in [
        "without migration background", "migration background no",
        "zonder migratieachtergrond", "migratieachtergrond nee", "sans origine migratoire",
        "origine migratoire non"]},
    **{a: "disability=yes" for a in ["with disability", "met beperking", "avec handicap"]},
    **{a: "disability=no" for a in ["without disability", "zonder beperking", "sans handicap"]},
}

# A key cell (zone, staff category, rank or group) with one of these labels marks a
# control-total row: checked against the rows it covers, never counted.
TOTAL_LABELS = frozenset(
    normalise_label(t)
    for t in ["total", "totaal", "totaux", "total general", "total général", "totaal generaal",
              "grand total", "eindtotaal", "algemeen totaal", "totale", "sum", "som",
              "overall", "all", "alle", "tous", "toutes", "ensemble", "all ranks", "alle graden",
              "tous grades", "all zones", "alle zones", "toutes zones", "all forces",
              "all staff", "all employees", "alle personeelsleden", "tout le personnel",
              # national totals
              "belgique", "belgië", "belgie", "belgium", "royaume", "koninkrijk",
              "national", "national total", "nationaal", "nationaal totaal", "total national",
              "england and wales", "england & wales", "united kingdom", "uk total",
              "geïntegreerde politie", "police intégrée", "integrated police"]
)
# Regions stand among zones as subtotals of the zones listed under (or above) them.
SUBTOTAL_LABELS = frozenset(
    normalise_label(t)
    for t in ["vlaanderen", "vlaams gewest", "flanders", "flemish region", "région flamande",
              "wallonie", "waals gewest", "wallonia", "walloon region", "région wallonne",
              "brussels hoofdstedelijk gewest", "brussels capital region",
              "région de bruxelles capitale", "brussels gewest",
              "north east", "north west", "yorkshire and the humber", "yorkshire and humber",
              "east midlands", "west midlands", "east of england", "eastern", "london",
              "south east", "south west", "wales", "england"]
)
# Total, Totals, Totaal, Totalen, Totaux, Subtotal(s), Subtotaal, Sous-total(aux), Grand total(s),
# Overall total, Algemeen totaal, Eindtotaal, ... and whatever follows them (Total 43 forces).
_TOTAL_PREFIX = re.compile(r"^(sub ?|sous ?|grand |overall |general |algemeen |generaal |eind ?)?"
                           r"(totals?|totaal|totalen|totaux|totale)\b")


def is_total_label(text: object) -> bool:
    """A label that marks a total row: ``Total``, ``Totaal generaal``, ``Belgique``, ...

    >>> [is_total_label(t) for t in ["Totaal generaal", "England and Wales", "Total Vlaanderen",
    ...                              "Totals", "Overall", "Gent", "Totalement"]]
    [True, True, True, True, True, False, False]
    """
    label = normalise_label(text)
    return label in TOTAL_LABELS or bool(_TOTAL_PREFIX.match(label))


def is_subtotal_label(text: object, extra: frozenset[str] = frozenset()) -> bool:
    """A region (or a label the mapping profile names) that sums some of the zones."""
    label = normalise_label(text)
    return label in SUBTOTAL_LABELS or label in extra


_FIELD_LOOKUP = {normalise_label(a): f for f, aliases in FIELD_ALIASES.items() for a in aliases}
_WIDE_LOOKUP = {normalise_label(a): target for a, target in WIDE_ALIASES.items()}


def target_for_header(label: str) -> str | None:
    """The canonical field (or wide ``dimension=value`` column) a normalised header names."""
    return _FIELD_LOOKUP.get(label) or _WIDE_LOOKUP.get(label)
