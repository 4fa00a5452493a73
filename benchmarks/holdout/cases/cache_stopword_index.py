import re
from collections import Counter


class KeywordIndexer:
    def __init__(self, stopwords: list[str], replacements: dict[str, str]):
        self.stopwords = stopwords
        self.replacements = replacements
        self._stop_re = re.compile(r"\b(?:" + "|".join(map(re.escape, stopwords)) + r")\b", re.I)
        self._table = str.maketrans(replacements)

    def index(self, documents: dict[str, str]) -> dict[str, Counter]:
        out = {}
        for doc_id, text in documents.items():
            stop_re = re.compile(r"\b(?:" + "|".join(map(re.escape, self.stopwords)) + r")\b", re.I)  # expect: L3
            out[doc_id] = Counter(stop_re.sub(" ", text).lower().split())
        return out

    def index_v2(self, documents: dict[str, str]) -> dict[str, Counter]:
        return {doc_id: Counter(self._stop_re.sub(" ", t).lower().split()) for doc_id, t in documents.items()}  # expect-none

    def clean_titles(self, titles: list[str]) -> list[str]:
        cleaned = []
        for title in titles:
            cleaned.append(title.translate(str.maketrans(self.replacements)))  # expect: L3
        return cleaned

    def clean_titles_v2(self, titles: list[str]) -> list[str]:
        return [t.translate(self._table) for t in titles]  # expect-none
