// The expected wait a queued customer is told: the median of how long recent customers waited
// between being queued and being claimed. The median, not the mean, so one forgotten overnight
// conversation does not make every customer expect hours.

/** How many recent claims the estimate looks at. */
export const RECENT_CLAIMS = 20;
/** What we say before there is any history (a fresh install). */
export const DEFAULT_WAIT_MINUTES = 5;

export function estimateWaitMinutes(recent: Array<{ queuedAt: string; assignedAt: string }>): number {
  const durations = recent
    .map((claim) => Date.parse(claim.assignedAt) - Date.parse(claim.queuedAt))
    .filter((ms) => Number.isFinite(ms) && ms >= 0)
    .sort((a, b) => a - b);
  if (durations.length === 0) return DEFAULT_WAIT_MINUTES;
  const middle = Math.floor(durations.length / 2);
  const median = durations.length % 2 ? durations[middle] : (durations[middle - 1] + durations[middle]) / 2;
  return Math.max(1, Math.ceil(median / 60_000));
}

/**
 * The wait for a customer at `position` with `agentsOnline` agents online (issue 13): each online agent takes
 * the next customer about every median-wait minutes, so the queue ahead is shared among them. With nobody
 * online there is no estimate (the customer gets the offline flow instead).
 */
export function estimateQueueWaitMinutes(recent: Array<{ queuedAt: string; assignedAt: string }>, position: number, agentsOnline: number): number | null {
  if (agentsOnline <= 0) return null;
  const perCustomer = estimateWaitMinutes(recent);
  return Math.max(1, Math.ceil(Math.max(position, 1) / agentsOnline) * perCustomer);
}
