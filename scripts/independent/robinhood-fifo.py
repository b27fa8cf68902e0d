#!/usr/bin/env python3
# Usage: python3 scripts/independent/robinhood-fifo.py ../shared/fixtures/robinhood/conley-tjahjono-activity.csv [--no-events]
# Checks crates/import/src/formats/robinhood.rs (conley_tjahjono_sample); never run by the tests.
# An independent FIFO written from the file's own columns: oldest row first (the file is
# newest first and dates have no time, so file order reversed), options keyed by their
# description, stocks by Instrument; side from Trans Code; fees = -(Amount + signed qty *
# price * multiplier), 0 when negative. OEXP/OASGN/OEXCS close the option at 0, no fees,
# a sell when the quantity ends in S, else a buy. A closing row (STC, BTC, an event) with
# no open lot is "incomplete": no P&L, net = -fees.
import csv, sys
from decimal import Decimal as D
events = '--no-events' not in sys.argv
rows = list(csv.reader(open(sys.argv[1], encoding='utf-8-sig')))
H = rows[0]; ix = {n: i for i, n in enumerate(H)}
def money(s):
    s = s.strip().replace('$', '').replace(',', '')
    if s.startswith('('): return -D(s.strip('()'))
    return D(s) if s else D(0)
fills = []
for n, r in enumerate(rows[1:]):
    if len(r) != len(H): continue
    code = r[ix['Trans Code']].strip().upper()
    desc = r[ix['Description']].strip()
    if code in ('BUY', 'SELL', 'BTO', 'STO', 'BTC', 'STC'):
        side = 1 if code in ('BUY', 'BTO', 'BTC') else -1
        opt = code not in ('BUY', 'SELL')
        key = desc if opt else r[ix['Instrument']]
        mult = D(100) if opt else D(1)
        q = D(r[ix['Quantity']]); price = money(r[ix['Price']])
        fees = max(-(money(r[ix['Amount']]) + side * q * price * mult), D(0))
        close = code in ('BTC', 'STC')
    elif events and code in ('OEXP', 'OASGN', 'OEXCS'):
        qc = r[ix['Quantity']].strip()
        side = -1 if qc.endswith('S') else 1
        q = D(qc.rstrip('S')); price = D(0); fees = D(0); mult = D(100); close = True
        key = desc.replace('Option Expiration for ', '')
    else:
        continue
    fills.append((-n, key, side * q, price, fees, mult, close))
fills.sort(key=lambda f: f[0])
trips = []; state = {}
for _, key, q, price, fees, mult, close in fills:
    lots, trip = state.get(key, ([], None))
    pos = sum(l[0] for l in lots); rem = q; fl = fees
    if trip is not None and (pos > 0) != (q > 0):
        closing = min(abs(rem), abs(pos))
        share = fl if closing == abs(rem) else (fees * closing / abs(q)).quantize(D('1e-10'))
        left = closing
        while left > 0:
            lq, lp = lots[0]; take = min(abs(lq), left); sign = 1 if lq > 0 else -1
            trip[1] += (price - lp) * take * mult * sign
            lots[0] = (lq - sign * take, lp)
            if lots[0][0] == 0: lots.pop(0)
            left -= take
        trip[2] += share; rem = rem - (closing if rem > 0 else -closing); fl -= share
        if not lots: trips.append(('closed', trip[1], trip[2])); trip = None
    elif trip is not None:
        lots.append((q, price)); trip[2] += fl; rem = 0
    if rem != 0:
        if close: trips.append(('incomplete', D(0), fl))
        else: lots = [(rem, price)]; trip = ['open', D(0), fl]
    state[key] = (lots, trip)
for lots, trip in state.values():
    if trip is not None: trips.append(('open', trip[1], trip[2]))
gross = sum(t[1] for t in trips); fees = sum(t[2] for t in trips)
print('fills', len(fills), 'trips', len(trips), 'closed', sum(t[0] == 'closed' for t in trips),
      'open', sum(t[0] == 'open' for t in trips), 'incomplete', sum(t[0] == 'incomplete' for t in trips))
print('gross', gross, 'fees', fees, 'net', gross - fees)
