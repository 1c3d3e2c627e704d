import { signal } from '@preact/signals';
import { useEffect } from 'preact/hooks';
import { lang } from '../i18n.js';
import { DEFAULT_TIME_ZONE, formatLongDate, formatTime } from '../format.js';

/** The current time, ticking every second while any component reads it. */
export const now = signal(Date.now());
let ticking: ReturnType<typeof setInterval> | null = null;
let readers = 0;

/** Keeps `now` ticking; returns the function that stops this reader's interest. */
export function startTicking(): () => void {
  readers += 1;
  if (!ticking) {
    now.value = Date.now();
    ticking = setInterval(() => (now.value = Date.now()), 1000);
  }
  return () => {
    readers -= 1;
    if (readers <= 0 && ticking) {
      clearInterval(ticking);
      ticking = null;
      readers = 0;
    }
  };
}

/** The current time in ms, re-rendering the component every second. */
export function useNow(): number {
  useEffect(() => startTicking(), []);
  return now.value;
}

export interface ClockProps {
  timeZone?: string;
  /** Show seconds. */
  seconds?: boolean;
  /** Show the weekday and date under the time. */
  date?: boolean;
}

/** A 24-hour clock in the hall's time zone, with the Vietnamese (or English) date. */
export function Clock({ timeZone = DEFAULT_TIME_ZONE, seconds = false, date = true }: ClockProps) {
  const t = useNow();
  return (
    <div class="hh-clock" aria-live="off">
      <span class="hh-clock__time">{formatTime(t, { seconds, timeZone })}</span>
      {date ? <span class="hh-clock__date">{formatLongDate(t, lang.value, { timeZone })}</span> : null}
    </div>
  );
}
