#!/usr/bin/env python3
"""Writes N synthetic fills in the Tradovate Fills CSV layout (shared/fixtures/FORMATS.md).

Deterministic (seeded): a random walk of prices on a few CME contracts, alternating
entries and exits so that positions return to flat, with unique fill ids. Used by
bench/import.sh and the crash-consistency test.

usage: gen_tradovate_fills.py N OUT.csv
"""
import random
import sys
from datetime import datetime, timedelta, timezone

HEADER = ("_id,_orderId,_contractId,_timestamp,_tradeDate,_action,_qty,_price,_active,_accountId,"
          "Fill ID,Order ID,Timestamp,Date,Account,B/S,Quantity,Price,_priceFormat,_priceFormatType,"
          "_tickSize,Contract,Product,Product Description,commission\n")
CONTRACTS = [("MNQH6", "MNQ", "Micro E-mini NASDAQ 100", 25000.0, 0.25, 0.52),
             ("MESH6", "MES", "Micro E-mini S&P 500", 6900.0, 0.25, 0.52),
             ("NQH6", "NQ", "E-Mini NASDAQ 100", 25000.0, 0.25, 1.29),
             ("ESH6", "ES", "E-Mini S&P 500", 6900.0, 0.25, 1.29)]


def main() -> None:
    n, out = int(sys.argv[1]), sys.argv[2]
    rng = random.Random(7)
    t = datetime(2025, 1, 2, 14, 30, tzinfo=timezone.utc)
    price = {c[0]: c[3] for c in CONTRACTS}
    position = {c[0]: 0 for c in CONTRACTS}
    fill_id = 100_000_000_000
    with open(out, "w", newline="") as f:
        f.write(HEADER)
        for i in range(n):
            contract, product, desc, _, tick, fee = CONTRACTS[i % len(CONTRACTS)]
            t += timedelta(milliseconds=rng.randint(50, 4000))
            price[contract] = max(tick, price[contract] + rng.randint(-8, 8) * tick)
            pos = position[contract]
            qty = rng.randint(1, 3) if pos == 0 else abs(pos)
            buy = (pos < 0) if pos != 0 else rng.random() < 0.5
            position[contract] = pos + (qty if buy else -qty)
            fill_id += 1
            ts = t.strftime("%Y-%m-%d %H:%M:%S.") + f"{t.microsecond // 1000:03d}Z"
            local = t - timedelta(hours=5)
            p = f"{price[contract]:.2f}"
            f.write(f"{fill_id},{fill_id - 7},4086428,{ts},{t:%Y-%m-%d},{0 if buy else 1},{qty},{p},true,39681696,"
                    f"{fill_id},{fill_id - 7},{local:%m/%d/%Y %H:%M:%S},{local.month}/{local.day}/{local:%y},"
                    f"BENCH0001, {'Buy' if buy else 'Sell'},{qty},{p},-2,0,{tick},{contract},{product},{desc},"
                    f"{fee * qty:.2f}\n")


if __name__ == "__main__":
    main()
