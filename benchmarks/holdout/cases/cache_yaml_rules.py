import yaml

DEFAULT_ROUTING = """
queues:
  billing: high
  marketing: low
fallback: normal
"""
ROUTING = yaml.safe_load(DEFAULT_ROUTING)


class TicketRouter:
    def __init__(self, overrides_text: str | None = None):
        self.overrides = yaml.safe_load(overrides_text) if overrides_text else {}  # expect-none

    def route_all(self, tickets):
        routed = {}
        for ticket in tickets:
            rules = yaml.safe_load(DEFAULT_ROUTING)  # expect: L3
            rules["queues"].update(self.overrides.get("queues", {}))
            routed[ticket.id] = rules["queues"].get(ticket.team, rules["fallback"])
        return routed

    def route_all_v2(self, tickets):
        queues = {**ROUTING["queues"], **self.overrides.get("queues", {})}
        return {t.id: queues.get(t.team, ROUTING["fallback"]) for t in tickets}  # expect-none


def load_documents(stream_chunks: list[str]) -> list[dict]:
    return [yaml.safe_load(chunk) for chunk in stream_chunks]  # expect-none


def priorities_for_teams(teams):
    return {team: yaml.safe_load(DEFAULT_ROUTING)["queues"].get(team, "normal") for team in teams}  # expect: L3
