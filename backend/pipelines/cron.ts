import { CairnError } from '../core/errors';

/** A parsed five-field cron expression (minute hour day-of-month month day-of-week), in UTC. */
export interface Cron {
  source: string;
  minutes: Set<number>;
  hours: Set<number>;
  days: Set<number>;
  months: Set<number>;
  weekdays: Set<number>;
  /** cron's rule: when both day fields are restricted, a day matches if EITHER matches. */
  dayOr: boolean;
}

const FIELDS = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'] },
  { name: 'day of week', min: 0, max: 7, names: ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] },
] as const;

const MACROS: Record<string, string> = {
  '@hourly': '0 * * * *',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@weekly': '0 0 * * 0',
  '@monthly': '0 0 1 * *',
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
};

export function parseCron(expr: string, where = 'cron'): Cron {
  const text = MACROS[expr.trim().toLowerCase()] ?? expr.trim();
  const parts = text.split(/\s+/);
  if (parts.length !== 5) throw bad(where, expr, `needs 5 fields (minute hour day-of-month month day-of-week), got ${parts.length}`);
  const sets = parts.map((p, i) => parseField(p, FIELDS[i]!, where, expr));
  const weekdays = sets[4]!;
  if (weekdays.delete(7)) weekdays.add(0);
  return { source: expr, minutes: sets[0]!, hours: sets[1]!, days: sets[2]!, months: sets[3]!, weekdays, dayOr: parts[2] !== '*' && parts[4] !== '*' };
}

/** The first matching minute strictly after `after` (ms since the epoch, UTC). */
export function nextCronTime(cron: Cron, after: number): number {
  const t = new Date(Math.floor(after / 60_000) * 60_000 + 60_000);
  // Walk day by day, then hour, then minute; five years covers every valid expression (29 Feb).
  const limit = after + 5 * 366 * 86_400_000;
  while (t.getTime() <= limit) {
    if (!cron.months.has(t.getUTCMonth() + 1) || !dayMatches(cron, t)) {
      t.setUTCDate(t.getUTCDate() + 1);
      t.setUTCHours(0, 0, 0, 0);
      continue;
    }
    if (!cron.hours.has(t.getUTCHours())) {
      t.setUTCHours(t.getUTCHours() + 1, 0, 0, 0);
      continue;
    }
    if (!cron.minutes.has(t.getUTCMinutes())) {
      t.setUTCMinutes(t.getUTCMinutes() + 1, 0, 0);
      continue;
    }
    return t.getTime();
  }
  throw new CairnError('INVALID_PARAMETER_VALUE', `The cron expression '${cron.source}' never matches a date.`);
}

function dayMatches(cron: Cron, t: Date): boolean {
  const dom = cron.days.has(t.getUTCDate());
  const dow = cron.weekdays.has(t.getUTCDay());
  return cron.dayOr ? dom || dow : dom && dow;
}

function parseField(text: string, field: (typeof FIELDS)[number], where: string, expr: string): Set<number> {
  const out = new Set<number>();
  for (const item of text.split(',')) {
    const [range, stepText] = item.split('/');
    const step = stepText === undefined ? 1 : Number(stepText);
    if (!Number.isInteger(step) || step < 1) throw bad(where, expr, `bad step '${stepText}' in the ${field.name} field`);
    let lo: number = field.min;
    let hi: number = field.name === 'day of week' ? 6 : field.max;
    if (range !== '*') {
      const [a, b] = range!.split('-');
      lo = value(a!, field, where, expr);
      hi = b === undefined ? (stepText === undefined ? lo : field.max) : value(b, field, where, expr);
      if (hi < lo) throw bad(where, expr, `range '${range}' runs backwards in the ${field.name} field`);
    }
    for (let v = lo; v <= hi; v += step) out.add(v);
  }
  return out;
}

function value(text: string, field: (typeof FIELDS)[number], where: string, expr: string): number {
  const named = 'names' in field ? (field.names as readonly string[]).indexOf(text.toLowerCase()) : -1;
  const v = named >= 0 ? named + (field.name === 'month' ? 1 : 0) : /^\d+$/.test(text) ? Number(text) : NaN;
  if (!(v >= field.min && v <= field.max)) throw bad(where, expr, `'${text}' is not a valid ${field.name} (${field.min}–${field.max})`);
  return v;
}

function bad(where: string, expr: string, why: string): CairnError {
  return new CairnError('INVALID_PARAMETER_VALUE', `${where}: '${expr}' is not a cron expression: ${why}.`);
}
