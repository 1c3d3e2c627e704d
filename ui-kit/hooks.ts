/** Small hooks the screens share. */
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { ApiError } from './api.js';

export interface Loaded<T> {
  data: T | null;
  error: unknown;
  loading: boolean;
  /** Loads again now (keeps the current data until the new answer). */
  reload: () => void;
}

/**
 * Loads data (usually over HTTP) when `deps` change; a request that never reached the hub is retried by
 * itself every `retryMs` (default 5 s), so a screen that starts while the hub is down fills in later.
 */
export function useLoad<T>(load: () => Promise<T>, deps: readonly unknown[], retryMs = 5000): Loaded<T> {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(true);
  const [tick, setTick] = useState(0);
  const loadRef = useRef(load);
  loadRef.current = load;
  useEffect(() => {
    let live = true;
    let retry: ReturnType<typeof setTimeout> | null = null;
    setLoading(true);
    loadRef
      .current()
      .then((d) => {
        if (!live) return;
        setData(d);
        setError(null);
        setLoading(false);
      })
      .catch((err: unknown) => {
        if (!live) return;
        setError(err);
        setLoading(false);
        const transient = !(err instanceof ApiError) || err.isNetwork || err.status >= 500;
        if (transient) retry = setTimeout(() => setTick((n) => n + 1), retryMs);
      });
    return () => {
      live = false;
      if (retry) clearTimeout(retry);
    };
  }, [...deps, tick]);
  const reload = useCallback(() => setTick((n) => n + 1), []);
  return { data, error, loading, reload };
}

/** Calls `fn` after `ms` without a new call; the returned function schedules (and reschedules) it. */
export function useDebounced(fn: () => void, ms: number): () => void {
  const fnRef = useRef(fn);
  fnRef.current = fn;
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  useEffect(
    () => () => {
      if (timer.current) clearTimeout(timer.current);
    },
    [],
  );
  return useCallback(() => {
    if (timer.current) clearTimeout(timer.current);
    timer.current = setTimeout(() => {
      timer.current = null;
      fnRef.current();
    }, ms);
  }, [ms]);
}

/**
 * Calls `onIdle` after `ms` without a touch, click or key on the page (kiosks return to their home screen).
 * Active only while `enabled`; any interaction restarts the wait.
 */
export function useIdle(ms: number, onIdle: () => void, enabled = true): void {
  const cb = useRef(onIdle);
  cb.current = onIdle;
  useEffect(() => {
    if (!enabled) return undefined;
    let timer = setTimeout(() => cb.current(), ms);
    const restart = () => {
      clearTimeout(timer);
      timer = setTimeout(() => cb.current(), ms);
    };
    const events = ['pointerdown', 'keydown', 'wheel', 'touchstart'] as const;
    for (const e of events) window.addEventListener(e, restart, { passive: true, capture: true });
    return () => {
      clearTimeout(timer);
      for (const e of events) window.removeEventListener(e, restart, { capture: true });
    };
  }, [ms, enabled]);
}
