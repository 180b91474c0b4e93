// When the team is there: weekly hours in one IANA time zone, minus holidays. Intl does the time zone
// arithmetic, so daylight saving time needs no table of our own.
import type { OpeningHours } from '../config.js';

interface LocalTime {
  year: number;
  month: number; // 1-12
  day: number;
  weekday: number; // 0 = Sunday
  minutes: number; // since local midnight
}

const formatters = new Map<string, Intl.DateTimeFormat>();
/** the last local time asked for per zone, by UTC minute: every chat turn asks "open now?" */
const lastMinute = new Map<string, { minute: number; local: LocalTime }>();

function localTime(instant: Date, timeZone: string): LocalTime {
  // zone offsets are whole minutes, so one UTC minute is one local minute (formatToParts costs ~10 µs)
  const minute = Math.floor(instant.getTime() / 60_000);
  const last = lastMinute.get(timeZone);
  if (last?.minute === minute) return last.local;
  const local = formatLocalTime(instant, timeZone);
  lastMinute.set(timeZone, { minute, local });
  return local;
}

function formatLocalTime(instant: Date, timeZone: string): LocalTime {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, formatter);
  }
  const parts: Record<string, number> = {};
  for (const part of formatter.formatToParts(instant)) if (part.type !== 'literal') parts[part.type] = Number(part.value);
  const weekday = new Date(Date.UTC(parts.year, parts.month - 1, parts.day)).getUTCDay();
  return { year: parts.year, month: parts.month, day: parts.day, weekday, minutes: parts.hour * 60 + parts.minute };
}

/** Milliseconds the zone is ahead of UTC at this instant. */
function offsetMs(instant: Date, timeZone: string): number {
  const local = localTime(instant, timeZone);
  const seconds = instant.getUTCSeconds() * 1000 + instant.getUTCMilliseconds();
  const asUtc = Date.UTC(local.year, local.month - 1, local.day, 0, local.minutes) + seconds;
  return asUtc - instant.getTime();
}

/** The instant at which the wall clock in `timeZone` shows this date and time. */
export function zonedTime(year: number, month: number, day: number, minutes: number, timeZone: string): Date {
  const wall = Date.UTC(year, month - 1, day, 0, minutes);
  let instant = wall - offsetMs(new Date(wall), timeZone);
  // a second pass corrects the guess when a DST change lies between the wall time and the first guess
  instant = wall - offsetMs(new Date(instant), timeZone);
  return new Date(instant);
}

function isoDate(year: number, month: number, day: number): string {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

export function isOpen(hours: OpeningHours, instant: Date): boolean {
  const local = localTime(instant, hours.timeZone);
  if (hours.holidays.includes(isoDate(local.year, local.month, local.day))) return false;
  return (hours.weekly[local.weekday] ?? []).some((interval) => interval.from <= local.minutes && local.minutes < interval.to);
}

/** The next moment the team opens, strictly after `instant` when it is closed now; undefined when never (no hours at all). */
export function nextOpening(hours: OpeningHours, instant: Date): Date | undefined {
  const today = localTime(instant, hours.timeZone);
  for (let offset = 0; offset <= 400; offset++) {
    const date = new Date(Date.UTC(today.year, today.month - 1, today.day + offset));
    const [year, month, day] = [date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate()];
    if (hours.holidays.includes(isoDate(year, month, day))) continue;
    const intervals = [...(hours.weekly[date.getUTCDay()] ?? [])].sort((a, b) => a.from - b.from);
    for (const interval of intervals) {
      if (offset === 0 && interval.from <= today.minutes) continue;
      return zonedTime(year, month, day, interval.from, hours.timeZone);
    }
  }
  return undefined;
}

// the wording of an opening time belongs to the renderers (bot/replies); re-exported for the server's callers
export { formatOpening } from '../../bot/replies/handoff-words.js';
