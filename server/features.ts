import type { App, Hub } from './context.js';
import type { HubServer } from './realtime/realtime.js';

/**
 * A feature module of the hub (printing, voice, dossiers, ratings, board…): its routes, and listeners it
 * starts on the event bus and socket.io once the hub is built. Started in list order, stopped in reverse.
 * A feature talks to the others only through the event bus and the database.
 */
export interface Feature {
  name: string;
  /** Registers HTTP routes; called inside the `/api/v1` prefix. */
  routes?(api: App, hub: Hub): Promise<void>;
  /** Starts listeners and background work. */
  start?(hub: Hub, io: HubServer): Promise<void> | void;
  /** Stops background work; the hub is closing. */
  stop?(): Promise<void> | void;
}

/** Every feature the hub runs. Each feature module adds itself here with one line. */
export function createFeatures(): Feature[] {
  return [];
}
