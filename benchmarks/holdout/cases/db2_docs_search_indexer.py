import hashlib
from typing import Iterator

from elasticsearch import Elasticsearch, helpers

INDEX = "handbook"


def _doc_id(path: str) -> str:
    return hashlib.sha1(path.encode()).hexdigest()


class HandbookIndexer:
    def __init__(self, es: Elasticsearch) -> None:
        self.es = es

    def _store(self, page: dict) -> None:
        self.es.index(index=INDEX, id=_doc_id(page["path"]), document=page)

    def reindex(self, pages: list[dict]) -> int:
        for page in pages:
            self._store(page)  # expect: L2
        return len(pages)

    def reindex_direct(self, pages: list[dict]) -> None:
        for page in (p for p in pages if p.get("published")):
            self.es.index(index=INDEX, id=_doc_id(page["path"]), document=page)  # expect: L2

    def _actions(self, pages: list[dict]) -> Iterator[dict]:
        for page in pages:
            yield {"_index": INDEX, "_id": _doc_id(page["path"]), "_source": page}  # expect-none

    def reindex_bulk(self, pages: list[dict]) -> int:
        ok, _errors = helpers.bulk(self.es, self._actions(pages), raise_on_error=False)  # expect-none
        return ok

    def titles(self, paths: list[str]) -> dict[str, str]:
        found = {}
        for path in paths:
            hit = self.es.get(index=INDEX, id=_doc_id(path), source_includes=["title"])  # expect: L2
            found[path] = hit["_source"]["title"]
        return found

    def titles_once(self, paths: list[str]) -> dict[str, str]:
        resp = self.es.mget(index=INDEX, ids=[_doc_id(p) for p in paths], source_includes=["title"])  # expect-none
        by_id = {d["_id"]: d["_source"]["title"] for d in resp["docs"] if d.get("found")}
        return {p: by_id[_doc_id(p)] for p in paths if _doc_id(p) in by_id}

    def scan_all(self, query: dict) -> Iterator[dict]:
        resp = self.es.search(index=INDEX, query=query, size=500, sort=["_doc"])
        while hits := resp["hits"]["hits"]:
            yield from hits
            resp = self.es.search(  # expect-none
                index=INDEX, query=query, size=500, sort=["_doc"], search_after=hits[-1]["sort"]
            )
