import type { App, Hub } from './context.js';
import type { HubServer } from './realtime/realtime.js';
import { dossiersFeature } from './dossiers/feature.js';
import { ratingsFeature } from './ratings/ratings.feature.js';
import { rankingsFeature } from './rankings/rankings.feature.js';
import { boardFeature } from './board/board.feature.js';
import { reportsFeature } from './reports/reports.feature.js';
import { healthFeature } from './devices/health.feature.js';
import { voiceFeature } from './voice/voice.feature.js';
import { serialFeature } from './serial/serial.feature.js';
import { printingFeature } from './printing/printing.feature.js';

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
  return [
    healthFeature(),
    voiceFeature(),
    serialFeature(),
    printingFeature(),
    dossiersFeature(),
    ratingsFeature(),
    rankingsFeature(),
    boardFeature(),
    reportsFeature(),
  ];
}
