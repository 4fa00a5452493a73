"""Async catalogue feed: de-duplicates and ranks tracks page by page."""
import heapq
from typing import AsyncIterator


class TrackFeed:
    def __init__(self, client, page_size: int = 200):
        self.client = client
        self.page_size = page_size

    async def pages(self) -> AsyncIterator[list[dict]]:
        cursor = None
        while True:
            page = await self.client.list_tracks(cursor=cursor, limit=self.page_size)
            if not page["items"]:
                return
            yield page["items"]
            cursor = page["next"]

    async def unique_tracks(self) -> list[dict]:
        seen_isrc = []
        unique = []
        async for items in self.pages():
            for track in items:
                if track["isrc"] in seen_isrc:  # expect: L1
                    continue
                seen_isrc.append(track["isrc"])
                unique.append(track)
        return unique

    async def unique_tracks_set(self) -> list[dict]:
        seen_isrc: set[str] = set()
        unique = []
        async for items in self.pages():
            for track in items:
                if (isrc := track["isrc"]) in seen_isrc:  # expect-none
                    continue
                seen_isrc.add(isrc)
                unique.append(track)
        return unique

    async def ranking(self) -> list[dict]:
        ranked: list[dict] = []
        async for items in self.pages():
            for track in items:
                ranked.append(track)
                ranked.sort(key=lambda t: t["plays"], reverse=True)  # expect: L1
        return ranked

    async def ranking_once(self) -> list[dict]:
        ranked: list[dict] = []
        async for items in self.pages():
            ranked.extend(items)
        ranked.sort(key=lambda t: t["plays"], reverse=True)  # expect-none
        return ranked

    async def top_played(self, n: int) -> list[dict]:
        heap: list[tuple[int, str, dict]] = []
        async for items in self.pages():
            for track in items:
                heapq.heappush(heap, (track["plays"], track["isrc"], track))  # expect-none
                if len(heap) > n:
                    heapq.heappop(heap)  # expect-none
        return [t for _, _, t in sorted(heap, reverse=True)]

    async def explicit_share(self) -> float:
        explicit = total = 0
        async for items in self.pages():
            for track in items:
                total += 1
                explicit += track.get("rating") in ("explicit", "E")  # expect-none
        return explicit / total if total else 0.0
