"""An advisory check of texts in Leichte Sprache, for editors (never blocks saving).

It finds what the rules of Leichte Sprache (Netzwerk Leichte Sprache; BITV 2.0 § 4) ask to avoid
and a machine can spot: long sentences, long words not split by a hyphen or Mediopunkt, the
passive, the subjunctive and negations. The hints are heuristics: a person decides.
"""

import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

MAX_SENTENCE_WORDS = 15
MAX_WORD_LETTERS = 15
SPLIT_MARKS = ("-", "·", "\u00ad")

WERDEN = {"wird", "werden", "wurde", "wurden", "worden", "wirst", "werdet"}
SUBJUNCTIVE = {
    "würde",
    "würden",
    "könnte",
    "könnten",
    "hätte",
    "hätten",
    "wäre",
    "wären",
    "sollte",
    "sollten",
    "müsste",
    "müssten",
    "dürfte",
    "dürften",
}
NEGATIONS = {
    "nicht",
    "kein",
    "keine",
    "keinen",
    "keinem",
    "keiner",
    "keines",
    "nie",
    "niemals",
    "nichts",
    "niemand",
}
SENTENCE_END = re.compile(r"(?<=[.!?:;])\s+|\n+")
WORD = re.compile(r"[^\W\d_][\w·\u00ad-]*", re.UNICODE)
WEB_ADDRESS = re.compile(r"\S*(?:://|www\.)\S*|\S+@\S+")


@dataclass(frozen=True)
class Hint:
    kind: str  # sentence-length, long-word, passive, subjunctive, negation
    message: str


def sentences(text: str) -> list[str]:
    return [part.strip() for part in SENTENCE_END.split(text) if part and part.strip()]


def words(sentence: str) -> list[str]:
    return WORD.findall(WEB_ADDRESS.sub(" ", sentence))


def _excerpt(sentence: str, length: int = 60) -> str:
    return sentence if len(sentence) <= length else sentence[: length - 1].rstrip() + "…"


def check(text: str) -> list[Hint]:
    """Every hint for `text`, in reading order."""
    hints: list[Hint] = []
    for sentence in sentences(text):
        found = words(sentence)
        lower = [word.lower() for word in found]
        if len(found) > MAX_SENTENCE_WORDS:
            hints.append(
                Hint(
                    "sentence-length",
                    _("Sentence with %(count)d words (at most %(max)d): “%(sentence)s”")
                    % {
                        "count": len(found),
                        "max": MAX_SENTENCE_WORDS,
                        "sentence": _excerpt(sentence),
                    },
                )
            )
        for word in found:
            letters = sum(character.isalpha() for character in word)
            if letters > MAX_WORD_LETTERS and not any(mark in word for mark in SPLIT_MARKS):
                hints.append(
                    Hint(
                        "long-word",
                        _("Long word “%(word)s”: split it with a hyphen or a Mediopunkt (·).")
                        % {"word": word},
                    )
                )
        if _looks_passive(lower):
            hints.append(
                Hint(
                    "passive",
                    _("Possibly passive: “%(sentence)s”. Say who does something.")
                    % {"sentence": _excerpt(sentence)},
                )
            )
        for word in sorted(set(lower) & SUBJUNCTIVE, key=lower.index):
            hints.append(
                Hint(
                    "subjunctive",
                    _("Subjunctive “%(word)s”: say it directly.") % {"word": word},
                )
            )
        for word in sorted(set(lower) & NEGATIONS, key=lower.index):
            hints.append(
                Hint(
                    "negation",
                    _("Negation “%(word)s”: say it positively where you can.") % {"word": word},
                )
            )
    return hints


def _looks_passive(lower: list[str]) -> bool:
    """A form of "werden" and, at the end of the sentence, a word ending in -t or -en (the
    participle: "wird … gebaut", "werden … beschlossen")."""
    positions = [index for index, word in enumerate(lower) if word in WERDEN]
    if not positions or positions[0] == len(lower) - 1:
        return False
    last = lower[-1]
    return last not in WERDEN and (last.endswith("t") or last.endswith("en"))
