// Wall-clock times in a named zone, for editing fills ("YYYY-MM-DDTHH:MM:SS" in the fill's source zone).

const pad2 = (n: number) => String(n).padStart(2, "0");

/** RFC 3339 instant → "YYYY-MM-DDTHH:MM:SS" on the wall clock of `zone` (falls back to the computer's zone). */
export function wallClock(iso: string, zone: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return "";
  try {
    const parts = new Intl.DateTimeFormat("en-US", {
      timeZone: zone,
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
      hourCycle: "h23",
    }).formatToParts(d);
    const get = (t: string) => parts.find((p) => p.type === t)?.value ?? "00";
    return `${get("year")}-${get("month")}-${get("day")}T${get("hour")}:${get("minute")}:${get("second")}`;
  } catch {
    return `${d.getFullYear()}-${pad2(d.getMonth() + 1)}-${pad2(d.getDate())}T${pad2(d.getHours())}:${pad2(d.getMinutes())}:${pad2(d.getSeconds())}`;
  }
}

/** "YYYY-MM-DDTHH:MM:SS" → "YYYY-MM-DD HH:MM:SS" for display. */
export const showWallClock = (w: string) => w.replace("T", " ");
