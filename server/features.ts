import type { Static, TSchema } from '@sinclair/typebox';
import type { ClientToServerEvents } from '../protocol/index.js';
import type { App, Hub } from './context.js';
import type { EventHandlers } from './events.js';
import type { Access } from './auth/principal.js';
import type { HubServer, HubSocket } from './realtime/realtime.js';
import type { VoicePort } from '../hardware/voice/port.js';
import type { SerialBinding } from '../hardware/serial/binding.js';
import type { PrinterTransport } from '../hardware/printer/index.js';
import { authFeature } from './auth/auth.feature.js';
import { devicesFeature } from './devices/devices.feature.js';
import { setupFeature } from './admin/setup.feature.js';
import { queueFeature } from './queue/queue.feature.js';
import { realtimeFeature } from './realtime/realtime.feature.js';
import { auditFeature } from './audit/audit.feature.js';
import { integrationsFeature } from './integrations/integrations.feature.js';
import { dossiersFeature } from './dossiers/feature.js';
import { ratingsFeature } from './ratings/ratings.feature.js';
import { rankingsFeature } from './rankings/rankings.feature.js';
import { boardFeature } from './board/board.feature.js';
import { reportsFeature } from './reports/reports.feature.js';
import { figuresFeature } from './figures/figures.feature.js';
import { healthFeature } from './devices/health.feature.js';
import { voiceFeature } from './voice/voice.feature.js';
import { serialFeature } from './serial/serial.feature.js';
import { printingFeature } from './printing/printing.feature.js';
import { dayEndFeature } from './queue/day-end.feature.js';

/** The names of the commands a client may send the hub over its socket. */
export type CommandName = keyof ClientToServerEvents;

/**
 * A socket command a feature serves. The wiring's one pipeline charges the socket's command budget,
 * checks `access` (user roles / device kinds, as for HTTP routes), validates the payload against `payload`
 * (a protocol schema; null for commands that carry none, whose only argument is the ack), runs `handle`,
 * and always answers the ack: `{ok:true}` or `{ok:true,data}` with what `handle` returned, or
 * `{ok:false,error:{code,message}}` (a thrown HubError's code, else `unavailable` with `unavailableMessage`).
 * `audited` commands (they change state) go in the audit log with the status they ended with.
 */
export interface SocketCommand<S extends TSchema | null = TSchema | null> {
  access: Access;
  payload: S;
  audited?: boolean;
  /** The message of the `unavailable` answer when `handle` fails with an unexpected error. */
  unavailableMessage?: string;
  handle(socket: HubSocket, payload: S extends TSchema ? Static<S> : undefined): Promise<unknown> | unknown;
}

/** Declares a socket command with its payload type inferred from its schema. */
export function command<S extends TSchema | null>(def: SocketCommand<S>): SocketCommand {
  return def as unknown as SocketCommand;
}

/**
 * A feature module of the hub (queue, printing, voice, dossiers, board…), built once by its factory with the hub.
 * It declares what it does; server/wiring.ts wires every feature the same way:
 * - `routes`: its HTTP routes, registered inside the `/api/v1` prefix;
 * - `handles`: the bus events it reacts to (event → handler), listened to under the feature's name;
 * - `commands`: the socket commands it serves (see SocketCommand);
 * - `onConnect` / `onDisconnect`: its work when a socket (already authenticated) connects or goes;
 * - `start` / `stop`: background work. Features start in list order (after their listeners are added) and stop
 *   in reverse (after their listeners are removed).
 * A feature talks to the others only through the event bus and the database.
 */
export interface Feature {
  name: string;
  routes?(api: App): Promise<void>;
  handles?: EventHandlers;
  commands?: { [K in CommandName]?: SocketCommand };
  onConnect?(socket: HubSocket): void;
  onDisconnect?(socket: HubSocket): void;
  start?(): Promise<void> | void;
  stop?(): Promise<void> | void;
}

/** What a feature is built with. */
export interface FeatureContext {
  hub: Hub;
  io: HubServer;
  /** Drops this process's cached token answers. */
  forgetTokens(): void;
}

/** Drivers a hub may be given instead of its real ones (tests, benches). */
export interface Drivers {
  voice?: VoicePort;
  serialBinding?: SerialBinding;
  /**
   * The byte pipe to each printer this hub drives itself, by its `printer` string (`tcp://…`, `/dev/…`, `sim`),
   * instead of a TCP socket, the device file or the simulator process. Called once per printer, on first use.
   */
  printerTransport?: (printer: string) => PrinterTransport;
}

/** Every feature the hub runs, built once. Each feature module adds itself here with one line. */
export function createFeatures(ctx: FeatureContext, drivers: Drivers = {}): Feature[] {
  return [
    auditFeature(ctx),
    authFeature(ctx),
    realtimeFeature(ctx),
    devicesFeature(ctx),
    setupFeature(ctx),
    queueFeature(ctx),
    healthFeature(ctx),
    voiceFeature(ctx, drivers.voice ? { voice: drivers.voice } : {}),
    serialFeature(ctx, drivers.serialBinding ? { binding: drivers.serialBinding } : {}),
    printingFeature(ctx, drivers.printerTransport ? { transport: drivers.printerTransport } : {}),
    integrationsFeature(ctx),
    dossiersFeature(ctx),
    ratingsFeature(ctx),
    rankingsFeature(ctx),
    boardFeature(ctx),
    reportsFeature(ctx),
    dayEndFeature(ctx),
    figuresFeature(ctx),
  ];
}
