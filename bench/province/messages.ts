/** IPC between bench/province.ts and its children: the two hub processes and the socket swarm. */

/** Commands to bench/province/hub.ts. */
export type ProvinceHubCommand = { cmd: 'clock' } | { cmd: 'stats' } | { cmd: 'stop' };

export interface HubStats {
  /** RSS sampled every second since the hub listened: [seconds since listen, MB]. */
  rssSeries: [number, number][];
  peakRssMB: number;
  finalRssMB: number;
  heapUsedMB: number;
  cpuUserMs: number;
  cpuSystemMs: number;
  /** Event-loop utilisation since the hub listened (0..1). */
  elu: number;
  /** Fastify's own time (reply.elapsedTime, ms) per route group, with the status counts. */
  server: Record<string, { times: number[]; statuses: Record<string, number> }>;
  /** Every socket.io broadcast's wait for the PostgreSQL adapter's publish (ms), and the broadcasts by event. */
  publish: { times: number[]; byEvent: Record<string, number>; failed: number; firstError: string | null };
}

/** Commands to bench/province/clients.ts. */
export type ProvinceClientsCommand =
  | { cmd: 'clock' }
  | {
      cmd: 'connect';
      displays: { url: string; token: string; hub: number }[];
      tablets: { url: string; token: string; hub: number; counterId: number }[];
      /** Share of rating requests a citizen answers (0..1). */
      rateShare: number;
      /** Delay between the tablet's prompt and the citizen's tap, ms (min, max). */
      rateDelayMs: [number, number];
      seed: number;
    }
  | { cmd: 'pending' }
  | { cmd: 'collect' }
  | { cmd: 'close' };

export interface ConnectReply {
  displays: number;
  tablets: number;
  failed: number;
  firstError: string | null;
  ms: number;
}

/** Everything the swarm saw, in its own clock (epoch ms, performance.timeOrigin + now()). */
export interface SwarmCollect {
  /** `${ticketId}:${recall ? 1 : 0}` → receipt time per display index (null: not received). */
  calls: Record<string, (number | null)[]>;
  /** Display index → hub index it is connected to. */
  displayHubs: number[];
  ratingRequests: number;
  /** Requests a tablet received that were not for its own counter (must be 0). */
  foreignRequests: number;
  /** Rating requests answered: one per attempt. */
  ratings: { ticketId: number; hub: number; status: number; ms: number; at: number; error: string | null }[];
  /** Ticket ids a tablet was asked to rate more than once. */
  duplicateRequests: number;
  disconnects: number;
}
