from operator import attrgetter


def winning_bid(bids):
    return sorted(bids, key=attrgetter("amount"))[-1]  # expect: L1


def earliest_bid(bids):
    return sorted(bids, key=lambda b: b.placed_at)[0]  # expect: L1


def winning_bid_direct(bids):
    return max(bids, key=attrgetter("amount"))  # expect-none


def top_bids(bids, k: int = 5):
    return sorted(bids, key=attrgetter("amount"), reverse=True)[:k]  # expect-none


def close_lots(lots, bids_by_lot):
    results = {}
    for lot in lots:
        ranked = sorted(bids_by_lot[lot.id], key=attrgetter("amount"))  # expect-none
        results[lot.id] = ranked
    return results


def standings(bidders, incoming):
    table = []
    for bid in incoming:
        table.append((bid.amount, bid.bidder_id))
        table.sort(reverse=True)  # expect: L1
    return table


def standings_once(incoming):
    table = [(b.amount, b.bidder_id) for b in incoming]
    table.sort(reverse=True)  # expect-none
    return table
