class TermIndex:
    def __init__(self, stopwords: list[str]):
        self.stopwords = stopwords
        self.vocabulary = []
        self.postings: dict[str, list[int]] = {}
        self.dump = ""

    def add_document(self, doc_id: int, text: str) -> None:
        for term in text.lower().split():
            if term in self.stopwords:  # expect: L1
                continue
            if term not in self.vocabulary:  # expect: L1
                self.vocabulary.append(term)
            self.postings.setdefault(term, []).append(doc_id)

    def term_ids(self, query: str) -> list[int]:
        return [self.vocabulary.index(t) for t in query.split()]  # expect: L1

    def export(self) -> str:
        for term, docs in self.postings.items():
            self.dump += f"{term}\t{','.join(map(str, docs))}\n"  # expect: L1
        return self.dump

    def export_join(self) -> str:
        return "".join(f"{t}\t{','.join(map(str, d))}\n" for t, d in self.postings.items())  # expect-none

    def has_term(self, term: str) -> bool:
        return term in self.postings  # expect-none


def strip_punct(text: str) -> str:
    out = []
    for ch in text:
        if ch not in ".,;:!?":  # expect-none
            out.append(ch)
    return "".join(out)
