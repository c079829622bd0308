"""The workbench's text analysis, on plain texts (no database): goal suggestions, themes and
near-identical groups. Everything is deterministic (fixed seeds) and runs offline: the stemmer
and the stop-word list ship inside their packages; nothing is downloaded.

- Goal and key message: TF-IDF over German word stems (unigrams and bigrams), nearest centroid
  by cosine. A goal's centroid is built from its own texts (title, claim, introduction, key
  messages, measures), the editors' keyword list and the contributions editors confirmed for it.
- Themes within a goal: NMF over TF-IDF of the goal's contributions (one text per group of
  near-identical ones, so a copy-paste campaign does not become a theme by volume).
- Near-identical groups: MinHash over word sets for candidates (banded LSH), accepted
  when the TF-IDF cosine of the pair reaches DUPLICATE_THRESHOLD; groups are connected pairs.
"""

import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
import Stemmer
from scipy.sparse import coo_matrix, csr_matrix
from scipy.sparse.csgraph import connected_components
from sklearn.decomposition import NMF
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.preprocessing import normalize
from stop_words import get_stop_words

# Stored with every result; raise it whenever a change here changes what a run suggests.
METHOD_VERSION = "workbench-1: tfidf-stem-centroid, nmf-themes, minhash-duplicates"

RANDOM_STATE = 2035
RANKED = 3
DUPLICATE_THRESHOLD = 0.7
MIN_THEME_TEXTS = 10
MAX_THEMES = 8
QUOTES_PER_THEME = 3
TOP_TERMS = 8
# How much the mean of the confirmed examples weighs against a goal's own texts (unit vectors),
# reached at EXAMPLES_FOR_FULL_WEIGHT examples; on the labelled set larger weights did worse.
EXAMPLE_WEIGHT = 0.3
EXAMPLES_FOR_FULL_WEIGHT = 20

_WORD = re.compile(r"[^\W\d_]{2,}")
_NORMALISE = re.compile(r"[^\w]+")


def german_stop_words() -> set[str]:
    """The German list of the stop-words package (263 words: „der“, „und“, „nicht“ …)."""
    return {word.casefold() for word in get_stop_words("german")}


class Words:
    """Lower-cased word stems without stop words; `surface` remembers, per stem, the word
    forms seen, so theme labels read „Radwege“ rather than „radweg“."""

    def __init__(self, extra_stop_words: Iterable[str] = ()) -> None:
        self.stemmer = Stemmer.Stemmer("german")
        self.stop = german_stop_words() | {word.casefold() for word in extra_stop_words}
        # Inflected forms of a domain stop word go too („braucht“, „brauchen“ → „brauch“).
        self.stop_stems = set(self.stemmer.stemWords(sorted(self.stop)))
        self.surface: dict[str, Counter] = defaultdict(Counter)
        self.stemmer.maxCacheSize = 200_000

    def stems(self, text: str) -> list[str]:
        kept = [word for word in _WORD.findall(text.casefold()) if word not in self.stop]
        return [stem for stem in self.stemmer.stemWords(kept) if stem not in self.stop_stems]

    def stems_noting_surface(self, text: str) -> list[str]:
        stems = []
        for word in _WORD.findall(text):
            folded = word.casefold()
            if folded in self.stop:
                continue
            stem = self.stemmer.stemWord(folded)
            if stem in self.stop_stems:
                continue
            self.surface[stem][word] += 1
            stems.append(stem)
        return stems

    def readable(self, term: str) -> str:
        """The most frequent written form of a stem (or of each stem of a bigram)."""
        return " ".join(
            self.surface[stem].most_common(1)[0][0] if self.surface.get(stem) else stem
            for stem in term.split(" ")
        )


def _with_bigrams(stems: list[str]) -> list[str]:
    return stems + [f"{a} {b}" for a, b in zip(stems, stems[1:], strict=False)]


# Goal suggestions ---------------------------------------------------------------------------


@dataclass
class KeyMessageProfile:
    key: int
    text: str
    examples: list[str] = field(default_factory=list)


@dataclass
class GoalProfile:
    """What the workbench knows about one goal: its texts, keywords and confirmed examples."""

    key: int
    text: str
    keywords: str = ""
    examples: list[str] = field(default_factory=list)
    key_messages: list[KeyMessageProfile] = field(default_factory=list)


@dataclass(frozen=True)
class Suggestion:
    ranking: list[tuple[int, float]]  # (goal key, cosine) of the RANKED best, best first
    key_message: int | None
    key_message_score: float

    @property
    def goal(self) -> int:
        return self.ranking[0][0]

    @property
    def score(self) -> float:
        return self.ranking[0][1]


def _centroid(base, examples) -> np.ndarray:
    """Normalised sum of the goal's own texts and the mean of its confirmed examples, the
    examples weighing more the more there are (up to EXAMPLE_WEIGHT)."""
    vector = np.asarray(normalize(base).todense()).ravel()
    if examples is not None and examples.shape[0]:
        weight = EXAMPLE_WEIGHT * min(examples.shape[0], EXAMPLES_FOR_FULL_WEIGHT)
        mean = np.asarray(normalize(examples).mean(axis=0)).ravel()
        norm = np.linalg.norm(mean)
        if norm:
            vector = vector + weight / EXAMPLES_FOR_FULL_WEIGHT * mean / norm
    norm = np.linalg.norm(vector)
    return vector / norm if norm else vector


def suggest(
    profiles: Sequence[GoalProfile], texts: Sequence[str], words: Words
) -> list[Suggestion]:
    """For each text: the goals ranked by similarity, and the best key message of the top goal
    (None where no key message shares a word with the text)."""
    analyzer = lambda text: _with_bigrams(words.stems(text))  # noqa: E731
    vectorizer = TfidfVectorizer(analyzer=analyzer, sublinear_tf=True, dtype=np.float32)
    goal_docs = [f"{p.text}\n{p.keywords}" for p in profiles]
    km_owner = [(p, km) for p in profiles for km in p.key_messages]
    km_docs = [f"{km.text}\n{p.keywords}" for p, km in km_owner]
    fitted = vectorizer.fit_transform([*goal_docs, *km_docs, *texts]).tocsr()
    goal_base = fitted[: len(goal_docs)]
    km_base = fitted[len(goal_docs) : len(goal_docs) + len(km_docs)]
    matrix = fitted[len(goal_docs) + len(km_docs) :]

    def examples(texts: list[str]):
        return vectorizer.transform(texts) if texts else None

    centroids = np.vstack(
        [_centroid(goal_base[i], examples(p.examples)) for i, p in enumerate(profiles)]
    )
    similarity = np.asarray(matrix @ centroids.T)
    order = np.argsort(-similarity, axis=1, kind="stable")
    keys = np.array([profile.key for profile in profiles])
    suggestions = []
    km_similarity = None
    if km_owner:
        km_centroids = np.vstack(
            [_centroid(km_base[i], examples(km.examples)) for i, (_p, km) in enumerate(km_owner)]
        )
        km_similarity = np.asarray(matrix @ km_centroids.T)
        km_goal = np.array([p.key for p, _km in km_owner])
        km_keys = [km.key for _p, km in km_owner]
    # The best RANKED goals only: all 16 per text took 150 MB at 100,000 texts.
    order = order[:, :RANKED]
    ranked_keys = keys[order].tolist()
    ranked_scores = np.round(np.take_along_axis(similarity, order, axis=1), 4).tolist()
    for row in range(len(texts)):
        ranking = list(zip(ranked_keys[row], ranked_scores[row], strict=True))
        key_message, km_score = None, 0.0
        if km_similarity is not None and ranking[0][1] > 0:
            candidates = np.flatnonzero(km_goal == ranking[0][0])
            if len(candidates):
                best = candidates[int(np.argmax(km_similarity[row, candidates]))]
                if km_similarity[row, best] > 0:
                    key_message = km_keys[best]
                    km_score = round(float(km_similarity[row, best]), 4)
        suggestions.append(Suggestion(ranking, key_message, km_score))
    return suggestions


# Near-identical groups ----------------------------------------------------------------------

MINHASH_BANDS = 16
MINHASH_ROWS = 2
PAIR_BATCH = 50_000
_PRIME = (1 << 31) - 1


def normalised(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).casefold()
    return " ".join(_NORMALISE.sub(" ", text).split())


def duplicate_groups(texts: Sequence[str], threshold: float = DUPLICATE_THRESHOLD) -> list[int]:
    """A group number per text (-1: no near-identical partner), numbered from 0 in the order of
    each group's first text. Identical texts (after case and punctuation) always group."""
    unique: dict[str, int] = {}
    unique_of = [unique.setdefault(normalised(text), len(unique)) for text in texts]
    unique_texts = list(unique)
    labels = np.arange(len(unique_texts))
    if len(unique_texts) > 1:
        labels = _near_identical(unique_texts, threshold)
    per_text = labels[unique_of]
    counts = Counter(per_text.tolist())
    numbering: dict[int, int] = {}
    groups = []
    for label in per_text.tolist():
        if counts[label] < 2:
            groups.append(-1)
        else:
            groups.append(numbering.setdefault(label, len(numbering)))
    return groups


def _near_identical(texts: list[str], threshold: float) -> np.ndarray:
    vectorizer = TfidfVectorizer(analyzer=str.split, dtype=np.float32)
    matrix = vectorizer.fit_transform(texts).tocsr()
    filled = np.flatnonzero(np.diff(matrix.indptr))
    candidates = _minhash_candidates(matrix[filled], seed=RANDOM_STATE)
    kept = []
    # In batches: the rows of half a million candidate pairs at once took 400 MB.
    for start in range(0, len(candidates), PAIR_BATCH):
        batch = candidates[start : start + PAIR_BATCH]
        first, second = filled[batch[:, 0]], filled[batch[:, 1]]
        cosine = np.asarray(matrix[first].multiply(matrix[second]).sum(axis=1)).ravel()
        kept.append(batch[cosine >= threshold])
    accepted = np.vstack(kept) if kept else np.empty((0, 2), dtype=np.int64)
    first, second = filled[accepted[:, 0]], filled[accepted[:, 1]]
    size = len(texts)
    graph = coo_matrix((np.ones(len(first)), (first, second)), shape=(size, size))
    _count, labels = connected_components(graph, directed=False)
    return labels


def _minhash_candidates(matrix: csr_matrix, seed: int) -> np.ndarray:
    """Pairs (first text of a bucket, other text) that share all MinHash values of a band.
    Vectorised over all texts with numpy; a per-text Python MinHash took minutes at 100,000."""
    rng = np.random.RandomState(seed)
    perms = MINHASH_BANDS * MINHASH_ROWS
    a = rng.randint(1, _PRIME, size=perms).astype(np.int64)
    b = rng.randint(0, _PRIME, size=perms).astype(np.int64)
    features = matrix.indices.astype(np.int64)
    starts = matrix.indptr[:-1]
    # Hash values are below _PRIME < 2**32: uint32 holds them exactly, in half the memory.
    signature = np.empty((matrix.shape[0], perms), dtype=np.uint32)
    hashed = np.empty_like(features)  # one buffer for every permutation, computed in place
    for i in range(perms):
        np.multiply(features, a[i], out=hashed)
        hashed += b[i]
        hashed %= _PRIME
        signature[:, i] = np.minimum.reduceat(hashed, starts)
    del features, hashed
    pairs = []
    for band in range(MINHASH_BANDS):
        bucket = np.zeros(matrix.shape[0], dtype=np.int64)
        for column in range(band * MINHASH_ROWS, (band + 1) * MINHASH_ROWS):
            # int64, wrapping around (collisions are rare); the uint32 column is widened.
            bucket = bucket * _PRIME + signature[:, column].astype(np.int64)
        order = np.argsort(bucket, kind="stable")
        sorted_bucket = bucket[order]
        is_start = np.r_[True, sorted_bucket[1:] != sorted_bucket[:-1]]
        leader = order[np.flatnonzero(is_start)][np.cumsum(is_start) - 1]
        others = ~is_start
        # Row numbers fit in int32 (half the memory of argsort's int64 for 750,000 pairs).
        pairs.append(np.column_stack([leader[others], order[others]]).astype(np.int32))
    if not pairs:
        return np.empty((0, 2), dtype=np.int64)
    pairs = np.vstack(pairs)
    unique = np.unique(pairs[:, 0].astype(np.int64) * matrix.shape[0] + pairs[:, 1])
    return np.column_stack([unique // matrix.shape[0], unique % matrix.shape[0]])


# Themes -------------------------------------------------------------------------------------


@dataclass
class Theme:
    number: int
    label: str
    top_terms: list[str]
    members: list[int]  # indexes into the texts, strongest first
    quotes: list[int]  # up to QUOTES_PER_THEME indexes, the most representative


def theme_count(size: int) -> int:
    return int(min(MAX_THEMES, max(2, round((size / 10) ** 0.5))))


def themes(
    texts: Sequence[str],
    words: Words,
    *,
    groups: Sequence[int] | None = None,
    quotable: Sequence[bool] | None = None,
) -> tuple[list[Theme], list[int]]:
    """Themes of one goal's texts and the theme number per text (-1: none).

    Texts of one near-identical group (`groups`, as from duplicate_groups) count once when the
    themes are found; quotes are taken only where `quotable` is true (published text) and from
    different groups."""
    groups = list(groups) if groups is not None else [-1] * len(texts)
    quotable = list(quotable) if quotable is not None else [True] * len(texts)
    seen_groups: set[int] = set()
    fit_rows = []
    for index, group in enumerate(groups):
        if group == -1 or group not in seen_groups:
            fit_rows.append(index)
            seen_groups.add(group)
    if len(fit_rows) < MIN_THEME_TEXTS:
        return [], [-1] * len(texts)
    vectorizer = TfidfVectorizer(
        analyzer=lambda text: _with_bigrams(words.stems_noting_surface(text)),
        sublinear_tf=True,
        min_df=2,
        max_df=0.8,
        dtype=np.float32,
    )
    try:
        fitted = vectorizer.fit_transform([texts[i] for i in fit_rows])
    except ValueError:  # no term in two texts: nothing to group by
        return [], [-1] * len(texts)
    count = min(theme_count(len(fit_rows)), fitted.shape[1])
    model = NMF(n_components=count, init="nndsvda", random_state=RANDOM_STATE, max_iter=400)
    model.fit(fitted)
    distinct: dict[str, int] = {}
    distinct_of = [distinct.setdefault(text, len(distinct)) for text in texts]
    weights = model.transform(vectorizer.transform(list(distinct)))[distinct_of]
    terms = vectorizer.get_feature_names_out()
    assignment = np.where(weights.max(axis=1) > 0, weights.argmax(axis=1), -1)
    found = []
    for number in range(count):
        top = [terms[i] for i in np.argsort(-model.components_[number])[:TOP_TERMS]]
        members = [int(i) for i in np.argsort(-weights[:, number]) if assignment[i] == number]
        if not members:
            continue
        quotes, quoted_groups = [], set()
        for index in members:
            if not quotable[index] or (groups[index] != -1 and groups[index] in quoted_groups):
                continue
            quotes.append(index)
            quoted_groups.add(groups[index])
            if len(quotes) == QUOTES_PER_THEME:
                break
        readable = list(dict.fromkeys(words.readable(term) for term in top))
        found.append(
            Theme(
                number=len(found),
                label=" · ".join(readable[:3]),
                top_terms=readable,
                members=members,
                quotes=quotes,
            )
        )
    renumber = {}
    for theme_index, theme in enumerate(found):
        for member in theme.members:
            renumber[member] = theme_index
    return found, [renumber.get(i, -1) for i in range(len(texts))]
