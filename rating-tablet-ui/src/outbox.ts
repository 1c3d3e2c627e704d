/**
 * The tablet's outbox: a rating is stored here first (localStorage) and removed only once the hub gave a
 * final answer. Each rating carries an idempotency id made on the tablet, so a delivery whose answer was
 * lost is sent again with the same id and the hub answers with the original rating: exactly once.
 */
import { signal } from '@preact/signals';
import { ApiError, type ApiClient } from '../../ui-kit/index.js';
import type { CreateRatingBody, RatingReason } from '../../protocol/ratings.js';

export interface QueuedRating {
  clientId: string;
  ticketId: number;
  level: 1 | 2 | 3 | 4;
  reasons: RatingReason[];
  comment?: string;
  /** When the citizen rated, by this tablet's clock (ms). */
  createdAt: number;
}

const KEY = 'hallhub:tablet:outbox';
const HANDLED_KEY = 'hallhub:tablet:handled';

function load<T>(key: string): T[] {
  try {
    const raw = window.localStorage.getItem(key);
    const parsed: unknown = raw ? JSON.parse(raw) : [];
    return Array.isArray(parsed) ? (parsed as T[]) : [];
  } catch {
    return [];
  }
}

function save(key: string, value: unknown[]): void {
  try {
    window.localStorage.setItem(key, JSON.stringify(value));
  } catch {
    // storage full or disabled: the rating stays in memory for this session
  }
}

/** Ratings not delivered yet. */
export const queued = signal<QueuedRating[]>(load<QueuedRating>(KEY));

/** A random idempotency id (works on plain-http LAN addresses, where crypto.randomUUID is missing). */
export function newClientId(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return `t-${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}

/** Tickets this tablet already rated or let go: never asked about again. */
export function isHandled(ticketId: number): boolean {
  return load<number>(HANDLED_KEY).includes(ticketId) || queued.value.some((q) => q.ticketId === ticketId);
}

export function markHandled(ticketId: number): void {
  const list = load<number>(HANDLED_KEY).filter((id) => id !== ticketId);
  list.push(ticketId);
  save(HANDLED_KEY, list.slice(-100));
}

export function enqueue(r: Omit<QueuedRating, 'clientId' | 'createdAt'>): QueuedRating {
  const item: QueuedRating = { ...r, clientId: newClientId(), createdAt: Date.now() };
  queued.value = [...queued.value, item];
  save(KEY, queued.value);
  markHandled(r.ticketId);
  return item;
}

function remove(clientId: string): void {
  queued.value = queued.value.filter((q) => q.clientId !== clientId);
  save(KEY, queued.value);
}

let flushing: Promise<void> | null = null;

/**
 * Sends every queued rating, oldest first. A 2xx or a final refusal (4xx other than 401/408/429) removes
 * it; a network failure, 5xx or 401 keeps it for the next attempt. One flush at a time.
 */
export function flush(api: ApiClient): Promise<void> {
  if (flushing) return flushing;
  flushing = (async () => {
    for (const item of [...queued.value]) {
      const body: CreateRatingBody = {
        ticketId: item.ticketId,
        level: item.level,
        reasons: item.reasons,
        clientId: item.clientId,
        delaySeconds: Math.min(604_800, Math.max(0, Math.floor((Date.now() - item.createdAt) / 1000))),
        ...(item.comment ? { comment: item.comment } : {}),
      };
      try {
        await api.post('/ratings', body);
        remove(item.clientId);
      } catch (err) {
        const final = err instanceof ApiError && err.status >= 400 && err.status < 500 && ![401, 408, 429].includes(err.status);
        if (final) {
          console.warn(`rating of ticket ${item.ticketId} refused: ${err.code}`);
          remove(item.clientId);
        } else {
          return; // hub unreachable: keep the order, try again later
        }
      }
    }
  })().finally(() => {
    flushing = null;
  });
  return flushing;
}
