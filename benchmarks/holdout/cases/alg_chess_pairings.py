from typing import List


def previous_opponents(player_id: int, games) -> List[int]:
    opponents = []
    for g in games:
        if g.white == player_id:
            opponents.append(g.black)
        elif g.black == player_id:
            opponents.append(g.white)
    return opponents


def pair_round(standings: List[int], games) -> list[tuple[int, int]]:
    unpaired = list(standings)
    pairs = []
    while len(unpaired) > 1:
        top = unpaired.pop(0)  # expect: L1
        met = previous_opponents(top, games)
        for cand in unpaired:
            if cand not in met:  # expect: L1
                unpaired.remove(cand)  # expect: L1
                pairs.append((top, cand))
                break
    return pairs


def byes(players: List[int], had_bye: List[int]) -> List[int]:
    return [p for p in players if p not in had_bye]  # expect: L1


def colour_for(round_no: int) -> str:
    return "white" if round_no % 2 else "black"
