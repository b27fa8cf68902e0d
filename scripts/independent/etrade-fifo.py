#!/usr/bin/env python3
# Usage: python3 scripts/independent/etrade-fifo.py ../shared/fixtures/etrade/adyamlife-DownloadTxnHistory.csv
# Checks crates/import/src/formats/etrade.rs (adyamlife_sample); never run by the tests.
# Independent FIFO over the E*TRADE sample, written from the file's own columns:
# oldest row first (the file is newest first; rows of one day keep file order reversed),
# side = sign of Quantity #, fees = max(Commission, -(Amount + qty*price*mult)).
# Option Expired/Assigned/Exercised close the option at price 0, no fees, dated
# min(row date, expiry) 16:00 NY. A closing row (To Close / To Cover / option event) with no
# open lot is "incomplete": no P&L, net = -fees.
import csv, sys, re
from decimal import Decimal as D
from datetime import date
rows = list(csv.reader(open(sys.argv[1], encoding='utf-8-sig')))
hdr = next(i for i, r in enumerate(rows) if r and r[0] == 'Activity/Trade Date')
H = rows[hdr]; ix = {n: i for i, n in enumerate(H)}
def d(s):
    m, dd, y = s.split('/'); y = int(y); y = y + 2000 if y < 100 else y
    return date(y, int(m), int(dd))
fills = []
data = [r for r in rows[hdr + 1:] if len(r) == len(H)]
for n, r in enumerate(data):
    kind = r[ix['Activity Type']].strip().lower()
    if kind not in ('bought to open', 'sold short', 'sold to close', 'bought to cover', 'bought', 'sold',
                    'option expired', 'option assigned', 'option exercised'):
        continue
    desc = r[ix['Description']].split()
    q = D(r[ix['Quantity #']])
    is_opt = desc and desc[0] in ('CALL', 'PUT')
    key = ' '.join(desc) if is_opt else r[ix['Symbol']]
    mult = D(100) if is_opt else D(1)
    day = d(r[0])
    if kind.startswith('option '):
        day = min(day, d(desc[2]))
        price, fees, close = D(0), D(0), True
    else:
        price = D(r[ix['Price $']])
        comm = D(r[ix['Commission']] or '0')
        amt = D(r[ix['Amount $']])
        implied = -(amt + q * price * mult)
        fees = max(implied, comm)
        close = kind in ('sold to close', 'bought to cover')
    fills.append((day, -n, key, q, price, fees, mult, close))
fills.sort(key=lambda f: (f[0], f[1]))
trips = []  # (status, gross, fees)
state = {}
for day, _, key, q, price, fees, mult, close in fills:
    lots, trip = state.get(key, ([], None))
    pos = sum(l[0] for l in lots)
    rem = q; fl = fees
    if trip is not None and (pos > 0) != (q > 0):
        closing = min(abs(rem), abs(pos))
        share = fl if closing == abs(rem) else (fees * closing / abs(q)).quantize(D('1e-10'))
        left = closing
        while left > 0:
            lq, lp = lots[0]
            take = min(abs(lq), left)
            sign = 1 if lq > 0 else -1
            trip[1] += (price - lp) * take * mult * sign
            lots[0] = (lq - sign * take, lp)
            if lots[0][0] == 0: lots.pop(0)
            left -= take
        trip[2] += share
        rem = rem - (closing if rem > 0 else -closing)
        fl -= share
        if not lots:
            trips.append(('closed', trip[1], trip[2])); trip = None
    elif trip is not None:
        lots.append((q, price)); trip[2] += fl; rem = 0
    if rem != 0:
        if close:
            trips.append(('incomplete', D(0), fl))
        else:
            lots = [(rem, price)]; trip = ['open', D(0), fl]
    state[key] = (lots, trip)
for lots, trip in state.values():
    if trip is not None:
        trips.append(('open', trip[1], trip[2]))
gross = sum(t[1] for t in trips); fees = sum(t[2] for t in trips)
print('fills', len(fills), 'trips', len(trips), 'closed', sum(t[0] == 'closed' for t in trips),
      'open', sum(t[0] == 'open' for t in trips), 'incomplete', sum(t[0] == 'incomplete' for t in trips))
print('gross', gross, 'fees', fees, 'net', gross - fees)
closed = [t for t in trips if t[0] == 'closed']
print('closed gross', sum(t[1] for t in closed))
