/** The IPC protocol between the bench (parent) and its child processes: the client swarm and the hub process. */

/** Commands to bench/clients.ts. */
export type ClientsCommand =
  | { cmd: 'connect'; url: string; token: string; count: number; batch: number }
  | { cmd: 'clock' }
  | { cmd: 'collect'; key: number }
  | { cmd: 'disconnect' }
  | {
      cmd: 'issue';
      url: string;
      token: string;
      serviceIds: number[];
      total: number;
      concurrency: number;
      priorityEvery: number;
      /** Stop starting requests after this long (the count may then fall short). */
      maxMs: number;
    }
  | {
      cmd: 'abuse';
      url: string;
      /** One socket per entry, each sending `count` of `event` at once (acknowledged), as an abusive client would. */
      sockets: { token: string; event: 'board:subscribe' | 'snapshot:get'; count: number }[];
      /** Give up waiting for acknowledgements after this long. */
      maxMs: number;
    };

/** What one abusive socket got back. */
export interface AbuseSocketResult {
  event: string;
  sent: number;
  ok: number;
  /** Answered with an error (e.g. over a command budget). */
  refused: number;
  /** Neither answered nor refused when the socket closed or time ran out. */
  unanswered: number;
  /** The hub cut the socket. */
  disconnected: boolean;
  /** From the first emit to the last answer (or the cut / time-out), ms. */
  ms: number;
  firstError: string | null;
}

/** Commands to bench/printers.ts: fake TCP receipt printers in a process of their own, like devices on the LAN. */
export type PrintersCommand = { cmd: 'start'; count: number } | { cmd: 'clock' };

/** Sent by bench/printers.ts, unasked, when printer `printer` cut a page; `lines` is its text. */
export interface PrintedEvent {
  event: 'printed';
  printer: number;
  lines: string[];
  /** Epoch ms (performance.timeOrigin + performance.now()) in the printers' process. */
  at: number;
}

export interface ConnectResult {
  connected: number;
  failed: number;
  firstError: string | null;
  ms: number;
}

export interface IssueLoadResult {
  ms: number;
  ok: number;
  failed: number;
  statuses: Record<string, number>;
  firstError: string | null;
  latencies: number[];
  cpuUserMs: number;
  cpuSystemMs: number;
}

/** Sent by the client swarm, unasked, when every connected client received the `call` of one ticket id. */
export interface ReceivedEvent {
  event: 'received';
  key: number;
  /** Receipt times, epoch ms (performance.timeOrigin + performance.now()), one per client. */
  times: number[];
}

/** Commands to bench/hub-process.ts. */
export type HubCommand = { cmd: 'mem'; gc?: boolean } | { cmd: 'stop' };

export interface MemorySample {
  rss: number;
  heapUsed: number;
  heapTotal: number;
  external: number;
  arrayBuffers: number;
  /** Highest RSS sampled (every 100 ms) since the hub started. */
  peakRss: number;
  /** Highest RSS sampled since the previous `mem` request. */
  peakRssSinceLast: number;
  /** The same right after a full garbage collection (when asked for and the hub runs with --expose-gc). */
  afterGc: { rss: number; heapUsed: number; external: number } | null;
}

export interface HubReadyEvent {
  event: 'ready';
  url: string;
}

export type Request<C> = C & { id: number };
export type Reply = { id: number; ok: true; result: unknown } | { id: number; ok: false; error: string };
export type ChildEvent = ReceivedEvent | HubReadyEvent | PrintedEvent;

export const isReply = (m: unknown): m is Reply => typeof m === 'object' && m !== null && 'id' in m && 'ok' in m;
export const isEvent = (m: unknown): m is ChildEvent => typeof m === 'object' && m !== null && 'event' in m;

/** Child side: answers each request with the handler's result or its error message. */
export function serveRequests<C extends { cmd: string }>(handle: (cmd: C) => Promise<unknown>): void {
  process.on('message', (raw: unknown) => {
    const msg = raw as Request<C>;
    handle(msg).then(
      (result) => process.send?.({ id: msg.id, ok: true, result } satisfies Reply),
      (err: unknown) => process.send?.({ id: msg.id, ok: false, error: err instanceof Error ? (err.stack ?? err.message) : String(err) } satisfies Reply),
    );
  });
  // The parent went away: nothing left to measure for.
  process.on('disconnect', () => process.exit(0));
}
