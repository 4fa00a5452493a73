import unicodedata

PUNCT_TABLE = str.maketrans({c: " " for c in ".,;:!?()[]{}\"'"})
UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})


def normalise_titles(titles: list[str]) -> list[str]:
    cleaned = []
    for title in titles:
        table = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})  # expect: L3
        cleaned.append(title.lower().translate(table))
    return cleaned


def normalise_titles_v2(titles: list[str]) -> list[str]:
    return [t.lower().translate(UMLAUTS) for t in titles]  # expect-none


def tokenize_all(docs):
    return [doc.translate(str.maketrans("", "", ".,;:!?")).split() for doc in docs]  # expect: L3


def tokenize_all_v2(docs):
    return [doc.translate(PUNCT_TABLE).split() for doc in docs]  # expect-none


def transliterate(rows, mapping_column: str):
    # the mapping is per row
    return [r["text"].translate(str.maketrans(r[mapping_column])) for r in rows]  # expect-none


def strip_accents(names):
    return [unicodedata.normalize("NFKD", n).encode("ascii", "ignore").decode() for n in names]  # expect-none
