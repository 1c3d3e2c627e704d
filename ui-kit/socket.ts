/**
 * The one socket.io connection of a screen, as a store of signals.
 *
 * `createSocketStore({ token })` opens `io(location.origin, { auth: { token }, transports: ['websocket'] })`,
 * typed with protocol/realtime.ts, and keeps it up forever: socket.io's own reconnection for lost
 * transports, plus a retry of its own when the hub refuses the handshake (hub restarting, database down)
 * or disconnects the socket on shutdown — the cases socket.io does not retry by itself.
 *
 * Screens read `status` / `online` / `offline` (signals), subscribe with `on(event, handler)` (or the
 * `useHubEvent` hook), and re-fetch their HTTP data when `connections` changes (every reconnect).
 * The hub sends the snapshot (`display:snapshot`, `queue:update`) on every connect; when none arrived
 * shortly after a reconnect, the store asks again with `snapshot:get`. Devices (`heartbeat: true`)
 * report `device:heartbeat` every 10 s with the faults set by `setFaults`.
 *
 * Create one store per page (in main.tsx) and hand it down with `<SocketContext value={store}>`.
 */
import { io, type Socket } from 'socket.io-client';
import { computed, signal, type ReadonlySignal } from '@preact/signals';
import { createContext } from 'preact';
import { useContext, useEffect, useRef } from 'preact/hooks';
import type { ClientToServerEvents, DeviceHeartbeat, ServerToClientEvents } from '../protocol/realtime.js';
import { SeqTracker } from './seq.js';

export type HubSocket = Socket<ServerToClientEvents, ClientToServerEvents>;
export type HubEventName = keyof ServerToClientEvents;
export type HubEventPayload<E extends HubEventName> = Parameters<ServerToClientEvents[E]>[0];
export type DeviceFault = NonNullable<DeviceHeartbeat['faults']>[number];

/**
 * - `connecting`: first connection under way (no banner yet)
 * - `online`: connected
 * - `offline`: lost or never reached; retrying forever
 * - `unauthorized`: the hub refused the token (still retrying slowly, in case it was a hub hiccup)
 */
export type SocketStatus = 'connecting' | 'online' | 'offline' | 'unauthorized';

export interface SocketStoreOptions {
  /** Device token or staff login token. */
  token: string;
  /** Hub origin; default `location.origin`. */
  url?: string;
  /** Devices: send `device:heartbeat` while connected. */
  heartbeat?: boolean;
  /** Heartbeat period; default 10 s. */
  heartbeatMs?: number;
  /** After a reconnect, ask for the snapshot when none arrived within this time; default 3 s. */
  snapshotGraceMs?: number;
}

export interface SocketStore {
  readonly socket: HubSocket;
  readonly status: ReadonlySignal<SocketStatus>;
  readonly online: ReadonlySignal<boolean>;
  /** True when the screen must say it is offline (lost, unreachable or refused; not while first connecting). */
  readonly offline: ReadonlySignal<boolean>;
  /** Successful connections so far; changes on every (re)connect. */
  readonly connections: ReadonlySignal<number>;
  /** 1 at first; grows on every reconnect and whenever the hall's set-up changed (`setup:update`): screens re-fetch their HTTP data on it. */
  readonly reloads: ReadonlySignal<number>;
  /** The last connection error message from the hub or the transport. */
  readonly lastError: ReadonlySignal<string | null>;
  /** Subscribes to a hub event; with `replay`, the handler first gets the last payload already received. */
  on<E extends HubEventName>(event: E, handler: (payload: HubEventPayload<E>) => void, opts?: { replay?: boolean }): () => void;
  /** The last payload received for an event, if any. */
  latest<E extends HubEventName>(event: E): HubEventPayload<E> | undefined;
  /** Asks the hub for this client's snapshot again. */
  requestSnapshot(): void;
  /** Faults sent with every later heartbeat (devices); sends one heartbeat at once. */
  setFaults(faults: DeviceFault[]): void;
  /** Disconnects for good (page teardown, logout). */
  close(): void;
}

const SNAPSHOT_EVENTS: ReadonlySet<string> = new Set<HubEventName>(['display:snapshot', 'queue:update']);

export function createSocketStore(opts: SocketStoreOptions): SocketStore {
  const status = signal<SocketStatus>('connecting');
  const connections = signal(0);
  const reloads = signal(1);
  const lastError = signal<string | null>(null);
  const handlers = new Map<string, Set<(payload: unknown) => void>>();
  const latestPayload = new Map<string, unknown>();
  let faults: DeviceFault[] = [];
  let closed = false;
  let retryTimer: ReturnType<typeof setTimeout> | null = null;
  let snapshotTimer: ReturnType<typeof setTimeout> | null = null;
  let heartbeatTimer: ReturnType<typeof setInterval> | null = null;
  let refusals = 0;
  let snapshotSeen = false;

  const socket: HubSocket = io(opts.url ?? window.location.origin, {
    auth: { token: opts.token },
    transports: ['websocket'],
    reconnection: true,
    reconnectionAttempts: Infinity,
    reconnectionDelay: 1000,
    reconnectionDelayMax: 5000,
    randomizationFactor: 0.5,
    timeout: 10_000,
  });

  const retryLater = (ms: number) => {
    if (closed || retryTimer) return;
    retryTimer = setTimeout(() => {
      retryTimer = null;
      if (!closed && !socket.connected && !socket.active) socket.connect();
    }, ms);
  };

  // A gap in the hall's numbered messages: one was missed, so the screen asks for a fresh snapshot.
  const gaps = new SeqTracker(() => {
    if (socket.connected) socket.emit('snapshot:get');
  });

  const sendHeartbeat = () => {
    if (socket.connected) socket.emit('device:heartbeat', { faults });
  };

  socket.on('connect', () => {
    refusals = 0;
    lastError.value = null;
    status.value = 'online';
    connections.value += 1;
    if (connections.value > 1) reloads.value += 1;
    snapshotSeen = false;
    if (snapshotTimer) clearTimeout(snapshotTimer);
    if (connections.value > 1) {
      snapshotTimer = setTimeout(() => {
        snapshotTimer = null;
        if (!snapshotSeen && socket.connected) socket.emit('snapshot:get');
      }, opts.snapshotGraceMs ?? 3000);
    }
    if (opts.heartbeat) sendHeartbeat();
  });

  socket.on('disconnect', (reason) => {
    if (closed) return;
    status.value = 'offline';
    lastError.value = reason;
    // The hub closed the socket itself (shutdown, restart): socket.io does not come back on its own.
    if (reason === 'io server disconnect') retryLater(1000 + Math.random() * 1500);
  });

  socket.on('connect_error', (err) => {
    if (closed) return;
    lastError.value = err.message;
    const refusedToken = /^unauthorized/i.test(err.message);
    status.value = refusedToken ? 'unauthorized' : 'offline';
    // A refusal by the hub's middleware is final for socket.io: retry ourselves, slower each time.
    if (!socket.active) {
      refusals += 1;
      retryLater(refusedToken ? 30_000 : Math.min(30_000, 1000 * 2 ** Math.min(refusals, 5)));
    }
  });

  socket.onAny((event: string, payload: unknown) => {
    if (event === 'setup:update') reloads.value += 1;
    latestPayload.set(event, payload);
    if (SNAPSHOT_EVENTS.has(event)) snapshotSeen = true;
    if (event === 'display:snapshot') gaps.reset();
    const seq = (payload as { seq?: { origin?: unknown; n?: unknown } } | null)?.seq;
    if (seq && typeof seq.origin === 'string' && typeof seq.n === 'number') gaps.see({ origin: seq.origin, n: seq.n });
    const set = handlers.get(event);
    if (!set) return;
    for (const h of [...set]) {
      try {
        h(payload);
      } catch (err) {
        console.error(`handler of ${event} failed`, err);
      }
    }
  });

  if (opts.heartbeat) heartbeatTimer = setInterval(sendHeartbeat, opts.heartbeatMs ?? 10_000);

  const onVisible = () => {
    if (document.visibilityState === 'visible' && socket.connected) socket.emit('snapshot:get');
  };
  if (typeof document !== 'undefined') document.addEventListener('visibilitychange', onVisible);

  return {
    socket,
    status,
    online: computed(() => status.value === 'online'),
    offline: computed(() => status.value === 'offline' || status.value === 'unauthorized'),
    connections,
    reloads,
    lastError,
    on(event, handler, o) {
      let set = handlers.get(event);
      if (!set) {
        set = new Set();
        handlers.set(event, set);
      }
      const h = handler as (payload: unknown) => void;
      set.add(h);
      if (o?.replay && latestPayload.has(event)) h(latestPayload.get(event));
      return () => {
        set.delete(h);
      };
    },
    latest: <E extends HubEventName>(event: E) => latestPayload.get(event) as HubEventPayload<E> | undefined,
    requestSnapshot() {
      if (socket.connected) socket.emit('snapshot:get');
    },
    setFaults(next) {
      faults = next.slice(0, 20);
      if (opts.heartbeat) sendHeartbeat();
    },
    close() {
      closed = true;
      gaps.stop();
      if (retryTimer) clearTimeout(retryTimer);
      if (snapshotTimer) clearTimeout(snapshotTimer);
      if (heartbeatTimer) clearInterval(heartbeatTimer);
      if (typeof document !== 'undefined') document.removeEventListener('visibilitychange', onVisible);
      handlers.clear();
      socket.offAny();
      socket.disconnect();
    },
  };
}

/** The page's socket store; null outside a provider (e.g. the public ticket page, which has no socket). */
export const SocketContext = createContext<SocketStore | null>(null);

/** The socket store of the page; throws when the component is rendered outside `<SocketContext>`. */
export function useSocketStore(): SocketStore {
  const store = useContext(SocketContext);
  if (!store) throw new Error('useSocketStore: no <SocketContext value={store}> above this component');
  return store;
}

/** Subscribes a component to a hub event for its lifetime (the latest handler is always used). */
export function useHubEvent<E extends HubEventName>(event: E, handler: (payload: HubEventPayload<E>) => void, opts?: { replay?: boolean }): void {
  const store = useContext(SocketContext);
  const ref = useRef(handler);
  ref.current = handler;
  const replay = opts?.replay ?? false;
  useEffect(() => {
    if (!store) return undefined;
    return store.on(event, (p) => ref.current(p), { replay });
  }, [store, event, replay]);
}
