import pandas as pd


def load_statements(paths: list[str]) -> pd.DataFrame:
    ledger = pd.DataFrame()
    for path in paths:
        month = pd.read_csv(path, parse_dates=["posted"])
        ledger = pd.concat([ledger, month], ignore_index=True)  # expect: L1
    return ledger


def load_statements_once(paths: list[str]) -> pd.DataFrame:
    parts = [pd.read_csv(p, parse_dates=["posted"]) for p in paths]
    return pd.concat(parts, ignore_index=True)  # expect-none


def journal(entries) -> pd.DataFrame:
    frame = pd.DataFrame(columns=["account", "debit", "credit"])
    for e in entries:
        frame.loc[len(frame)] = (e.account, e.debit, e.credit)  # expect: L1
    return frame


def journal_records(entries) -> pd.DataFrame:
    rows = [{"account": e.account, "debit": e.debit, "credit": e.credit} for e in entries]
    return pd.DataFrame.from_records(rows)  # expect-none


def legacy_append(batches) -> pd.DataFrame:
    out = pd.DataFrame()
    for batch in batches:
        out = out.append(batch.to_frame(), ignore_index=True)  # expect: L1
    return out
