from collections import deque


class AuditBuffer:
    def __init__(self, limit: int):
        self.limit = limit
        self.lines = []
        self.recent = deque(maxlen=limit)
        self.text = ""

    def push_many(self, records):
        for rec in records:
            self.lines.append(rec)
            if len(self.lines) > self.limit:
                del self.lines[0]  # expect: L1
            self.recent.append(rec)  # expect-none

    def render(self):
        out = ""
        for kind in ("header", "footer"):
            out += f"<{kind}/>"  # expect-none
        for rec in self.lines:
            self.text += rec.to_line()  # expect: L1
        return out + self.text

    def oldest_first(self, records):
        queue = list(records)
        handled = []
        while queue:
            handled.append(queue.pop(0))  # expect: L1
        return handled
