// Display formatting. Money, prices and quantities arrive from Rust as exact
// decimal strings ("-1110.5", "25266.25"); they are formatted by string
// manipulation and summed with BigInt, never through binary floats. Ratios
// (win rate, profit factor) arrive as numbers.

export const DASH = "—";
const MINUS = "\u2212";

type Parsed = { negative: boolean; int: string; frac: string };

/** Splits a decimal string into sign, integer digits and fraction digits. */
function parseDecimal(value: string): Parsed | null {
  const m = /^\s*([+-])?(\d*)(?:\.(\d*))?\s*$/.exec(value);
  if (!m || (m[2] === "" && (m[3] ?? "") === "")) return null;
  const int = (m[2] ?? "").replace(/^0+(?=\d)/, "") || "0";
  return { negative: m[1] === "-", int, frac: m[3] ?? "" };
}

function isZeroDigits(p: Parsed): boolean {
  return /^0*$/.test(p.int) && /^0*$/.test(p.frac);
}

/** Rounds to `places` fraction digits, half away from zero, on the digits. */
function roundDigits(p: Parsed, places: number): Parsed {
  if (p.frac.length <= places) return { ...p, frac: p.frac.padEnd(places, "0") };
  const keep = p.int + p.frac.slice(0, places);
  const roundUp = (p.frac.charCodeAt(places) - 48) >= 5;
  let digits = keep;
  if (roundUp) {
    const arr = keep.split("");
    let i = arr.length - 1;
    for (; i >= 0; i--) {
      if (arr[i] === "9") arr[i] = "0";
      else {
        arr[i] = String.fromCharCode(arr[i]!.charCodeAt(0) + 1);
        break;
      }
    }
    digits = (i < 0 ? "1" : "") + arr.join("");
  }
  const intLen = digits.length - places;
  return {
    negative: p.negative,
    int: digits.slice(0, intLen).replace(/^0+(?=\d)/, "") || "0",
    frac: digits.slice(intLen),
  };
}

function groupThousands(int: string): string {
  return int.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

const SYMBOLS: Record<string, string> = {
  USD: "$",
  EUR: "€",
  GBP: "£",
  JPY: "¥",
  CAD: "CA$",
  AUD: "A$",
  CHF: "CHF ",
  USDT: "₮",
};

/** Currencies that are written without minor units. */
const ZERO_DECIMALS = new Set(["JPY", "KRW"]);

export type MoneyOptions = {
  /** ISO code; empty or undefined writes the amount without a symbol. */
  currency?: string | null;
  /** Show "+" before positive amounts (for P&L deltas). */
  signed?: boolean;
  /** Fraction digits; defaults to 2 (0 for JPY). */
  places?: number;
};

/**
 * "-1110.5" → "−$1,110.50". Uses a true minus sign, thousands separators and
 * rounds half away from zero to the currency's minor unit. Null → "—".
 */
export function formatMoney(value: string | null | undefined, opts: MoneyOptions = {}): string {
  if (value == null) return DASH;
  const p = parseDecimal(value);
  if (!p) return value;
  const code = (opts.currency ?? "").toUpperCase();
  const places = opts.places ?? (ZERO_DECIMALS.has(code) ? 0 : 2);
  const r = roundDigits(p, places);
  const zero = isZeroDigits(r);
  const sign = zero ? "" : r.negative ? MINUS : opts.signed ? "+" : "";
  const symbol = code ? (SYMBOLS[code] ?? `${code} `) : "";
  const body = groupThousands(r.int) + (places > 0 ? "." + r.frac : "");
  return `${sign}${symbol}${body}`;
}

/**
 * Prices and quantities: thousands separators, trailing zeros trimmed down to
 * `minPlaces` (prices keep 2, quantities 0). "25266.2500" → "25,266.25".
 * Longer fractions (average prices such as 6971.1666666667) are rounded to
 * `maxPlaces` for display only; the exact value stays in the data.
 */
export function formatDecimal(value: string | null | undefined, minPlaces = 0, maxPlaces = 10): string {
  if (value == null) return DASH;
  const parsed = parseDecimal(value);
  if (!parsed) return value;
  const p = parsed.frac.length > maxPlaces ? roundDigits(parsed, maxPlaces) : parsed;
  let frac = p.frac.replace(/0+$/, "");
  if (frac.length < minPlaces) frac = frac.padEnd(minPlaces, "0");
  const zero = isZeroDigits(p);
  const sign = p.negative && !zero ? MINUS : "";
  return `${sign}${groupThousands(p.int)}${frac ? "." + frac : ""}`;
}

export const formatPrice = (v: string | null | undefined) => formatDecimal(v, 2, 6);
export const formatQty = (v: string | null | undefined) => formatDecimal(v, 0);

/** Sign of a decimal string, for colouring: 1, -1 or 0. */
export function decimalSign(value: string | null | undefined): -1 | 0 | 1 {
  if (value == null) return 0;
  const p = parseDecimal(value);
  if (!p || isZeroDigits(p)) return 0;
  return p.negative ? -1 : 1;
}

/** CSS class for a P&L amount: "pos", "neg" or "zero". */
export function pnlClass(value: string | null | undefined): string {
  const s = decimalSign(value);
  return s > 0 ? "pos" : s < 0 ? "neg" : "zero";
}

/** Exact sum of decimal strings (BigInt on a common scale). */
export function sumDecimals(values: Iterable<string>): string {
  let scale = 0;
  const parsed: Parsed[] = [];
  for (const v of values) {
    const p = parseDecimal(v);
    if (!p) continue;
    parsed.push(p);
    scale = Math.max(scale, p.frac.length);
  }
  let total = 0n;
  for (const p of parsed) {
    const n = BigInt(p.int + p.frac.padEnd(scale, "0"));
    total += p.negative ? -n : n;
  }
  const negative = total < 0n;
  const digits = (negative ? -total : total).toString().padStart(scale + 1, "0");
  const int = digits.slice(0, digits.length - scale);
  const frac = digits.slice(digits.length - scale);
  return `${negative ? "-" : ""}${int}${scale > 0 ? "." + frac : ""}`;
}

/** 0.5423 → "54.2%"; null → "—". */
export function formatPercent(ratio: number | null | undefined, digits = 1): string {
  if (ratio == null || !Number.isFinite(ratio)) return DASH;
  return `${(ratio * 100).toFixed(digits)}%`;
}

/** Plain ratio such as a profit factor: 1.8532 → "1.85"; null → "—". */
export function formatRatio(value: number | null | undefined, digits = 2): string {
  if (value == null || !Number.isFinite(value)) return DASH;
  return value.toFixed(digits);
}

/** Seconds → "45s", "12m 03s", "2h 05m", "3d 4h". */
export function formatDuration(seconds: number | null | undefined): string {
  if (seconds == null || !Number.isFinite(seconds)) return DASH;
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${String(s % 60).padStart(2, "0")}s`;
  const h = Math.floor(m / 60);
  if (h < 24) return `${h}h ${String(m % 60).padStart(2, "0")}m`;
  const d = Math.floor(h / 24);
  return `${d}d ${h % 24}h`;
}

const pad2 = (n: number) => String(n).padStart(2, "0");

/** RFC 3339 instant → "2026-02-11 01:34:46" in the computer's time zone. */
export function formatDateTime(iso: string | null | undefined, withSeconds = true): string {
  if (!iso) return DASH;
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const date = `${d.getFullYear()}-${pad2(d.getMonth() + 1)}-${pad2(d.getDate())}`;
  const time = `${pad2(d.getHours())}:${pad2(d.getMinutes())}${withSeconds ? ":" + pad2(d.getSeconds()) : ""}`;
  return `${date} ${time}`;
}

/** RFC 3339 instant → "02-11 01:34" (month-day and time, computer's zone). */
export function formatShortDateTime(iso: string | null | undefined): string {
  if (!iso) return DASH;
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return `${pad2(d.getMonth() + 1)}-${pad2(d.getDate())} ${pad2(d.getHours())}:${pad2(d.getMinutes())}`;
}

/**
 * Short money label for small spaces (calendar cells): cents below 10,
 * whole units below 10,000, then thousands with one decimal ("$12.3k").
 * Exact amounts belong in a tooltip next to it.
 */
export function formatMoneyCompact(value: string | null | undefined, currency?: string | null): string {
  if (value == null) return DASH;
  const p = parseDecimal(value);
  if (!p) return value;
  const intDigits = p.int.replace(/^0+/, "").length;
  if (intDigits <= 1) return formatMoney(value, { currency });
  if (intDigits <= 4) return formatMoney(value, { currency, places: 0 });
  // Move the decimal point three places left, exactly, on the digits.
  const shifted = `${p.negative ? "-" : ""}${p.int.slice(0, -3)}.${p.int.slice(-3)}${p.frac}`;
  return formatMoney(shifted, { currency, places: 1 }) + "k";
}

/** Local calendar date of a Date as "YYYY-MM-DD". */
export function isoDate(d: Date): string {
  return `${d.getFullYear()}-${pad2(d.getMonth() + 1)}-${pad2(d.getDate())}`;
}

export function formatInteger(n: number | null | undefined): string {
  if (n == null) return DASH;
  return groupThousands(String(Math.trunc(n)));
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}

export const ASSET_CLASS_LABELS: Record<string, string> = {
  stock: "Stock / ETF",
  option: "Option",
  future: "Future",
  future_option: "Future option",
  crypto: "Crypto",
  forex: "Forex",
};

/** The negation of a decimal string ("-1.5" → "1.5"). */
function negateDecimal(value: string): string {
  const v = value.trim();
  return v.startsWith("-") ? v.slice(1) : v.startsWith("+") ? `-${v.slice(1)}` : `-${v}`;
}

/** Compares two decimal strings exactly: -1, 0 or 1. */
export function compareDecimals(a: string, b: string): -1 | 0 | 1 {
  return decimalSign(sumDecimals([a, negateDecimal(b)]));
}

/**
 * `value ÷ divisor` as a decimal string with `places` fraction digits, rounded half away
 * from zero, exactly (BigInt). Null when the divisor is 0 or the value is not a decimal.
 */
export function divideDecimal(value: string, divisor: number, places = 2): string | null {
  const p = parseDecimal(value);
  if (!p || !Number.isInteger(divisor) || divisor === 0) return null;
  const scaleIn = p.frac.length;
  const n = BigInt(p.int + p.frac) * (p.negative ? -1n : 1n);
  const d = BigInt(divisor);
  // n / 10^scaleIn / d, kept to `places` + 1 digits, then rounded on the last one.
  const num = n * 10n ** BigInt(places + 1);
  const den = d * 10n ** BigInt(scaleIn);
  let q = num / den; // truncates toward zero
  const last = q % 10n;
  q = q / 10n;
  if (last >= 5n) q += 1n;
  else if (last <= -5n) q -= 1n;
  const negative = q < 0n;
  const digits = (negative ? -q : q).toString().padStart(places + 1, "0");
  const int = digits.slice(0, digits.length - places);
  const frac = digits.slice(digits.length - places);
  return `${negative ? "-" : ""}${int}${places > 0 ? "." + frac : ""}`;
}

/** An instant relative to `now`: "just now", "2 min ago", "3 h ago", "4 days ago"; null → "never". */
export function formatRelativeTime(iso: string | null | undefined, now: number = Date.now()): string {
  if (!iso) return "never";
  const t = Date.parse(iso);
  if (!Number.isFinite(t)) return iso;
  const s = Math.round((now - t) / 1000);
  if (s < 45) return "just now";
  const m = Math.round(s / 60);
  if (m < 60) return `${m} min ago`;
  const h = Math.round(m / 60);
  if (h < 24) return `${h} h ago`;
  const d = Math.round(h / 24);
  return d === 1 ? "yesterday" : `${d} days ago`;
}
