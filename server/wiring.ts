import type { TSchema } from '@sinclair/typebox';
import { validator, type Validator } from '../protocol/validate.js';
import type { App, Hub } from './context.js';
import type { HubEventName } from './events.js';
import type { CommandName, Feature, SocketCommand } from './features.js';
import type { Access, Principal } from './auth/principal.js';
import type { HubServer, HubSocket } from './realtime/realtime.js';
import { actorOf, ackStatus } from './audit/audit.js';
import { HubError } from './errors.js';
import { clientAddress, trustProxyOption } from './http/proxy.js';

/** A socket's command budget: a token bucket of BURST commands refilled at RATE per second. */
export const COMMAND_RATE_PER_S = 20;
export const COMMAND_BURST = 40;
/** A socket refused this many commands in a row for being over its budget is disconnected. */
export const COMMAND_OVER_LIMIT_DISCONNECT = 40;

type Reply = { ok: true; data?: unknown } | { ok: false; error: { code: string; message: string } };

export function allows(rule: Access, p: Principal): boolean {
  return p.type === 'user' ? (rule.roles?.includes(p.user.role) ?? false) : (rule.devices?.includes(p.device.kind) ?? false);
}

/** Who a rule admits, for the printed wiring: "admin, manager, display". */
const describeAccess = (rule: Access) => [...(rule.roles ?? []), ...(rule.devices ?? [])].join(', ');

class CommandBudget {
  private tokens = COMMAND_BURST;
  private last = Date.now();
  overInARow = 0;

  take(): boolean {
    const now = Date.now();
    this.tokens = Math.min(COMMAND_BURST, this.tokens + ((now - this.last) / 1000) * COMMAND_RATE_PER_S);
    this.last = now;
    if (this.tokens < 1) {
      this.overInARow++;
      return false;
    }
    this.tokens -= 1;
    this.overInARow = 0;
    return true;
  }
}

interface WiredCommand {
  name: CommandName;
  owner: string;
  def: SocketCommand;
  check: Validator<TSchema> | null;
}

/**
 * The one place features are wired: their routes, their bus listeners (added and removed per owner), and one
 * socket pipeline for every declared command: budget, access, validation, handler, ack, audit, error answer.
 */
export class Wiring {
  private readonly commands: WiredCommand[] = [];
  private started: Feature[] = [];
  /** Which hops of a socket's `X-Forwarded-For` are trusted proxies (TRUST_PROXY), for the audit's address. */
  private readonly trust: ReturnType<typeof trustProxyOption>;

  constructor(
    private readonly hub: Hub,
    private readonly io: HubServer,
    readonly features: readonly Feature[],
  ) {
    this.trust = trustProxyOption(hub.config.trustProxy);
    const seen = new Map<string, string>();
    for (const feature of features) {
      for (const [name, def] of Object.entries(feature.commands ?? {}) as [CommandName, SocketCommand | undefined][]) {
        if (!def) continue;
        const other = seen.get(name);
        if (other) throw new Error(`socket command ${name} is served by both ${other} and ${feature.name}`);
        seen.set(name, feature.name);
        this.commands.push({ name, owner: feature.name, def, check: def.payload ? validator(def.payload) : null });
      }
    }
  }

  /** Every declared socket command with its access rule (for the authorization matrix). */
  get socketCommands(): { name: CommandName; owner: string; access: Access; payload: boolean }[] {
    return this.commands.map((c) => ({ name: c.name, owner: c.owner, access: c.def.access, payload: c.check !== null }));
  }

  /** Registers every feature's routes; called inside the `/api/v1` prefix. */
  async routes(api: App): Promise<void> {
    for (const feature of this.features) {
      if (feature.routes) await api.register(async (scope) => feature.routes!(scope));
    }
  }

  /** Adds every feature's bus listeners, under the feature's name. */
  listen(): void {
    for (const feature of this.features) {
      for (const [event, handler] of Object.entries(feature.handles ?? {}) as [HubEventName, ((p: never) => void | Promise<void>) | undefined][]) {
        if (handler) this.hub.bus.listen(feature.name, event, handler as never);
      }
    }
  }

  /** Adds the bus listeners, then the socket pipeline, then starts the features in order. */
  async start(): Promise<void> {
    this.listen();
    this.io.on('connection', (socket: HubSocket) => this.connect(socket));
    for (const feature of this.features) {
      this.started.push(feature);
      await feature.start?.();
    }
  }

  /** Stops the features in reverse order, each after its bus listeners are removed; never throws. */
  async stop(): Promise<void> {
    for (const feature of this.started.reverse()) {
      this.hub.bus.removeAll(feature.name);
      await Promise.resolve()
        .then(() => feature.stop?.())
        .catch((err: unknown) => this.hub.log.error({ err, feature: feature.name }, 'feature stop failed'));
    }
    this.started = [];
  }

  private connect(socket: HubSocket): void {
    const budget = new CommandBudget();
    for (const feature of this.features) {
      try {
        feature.onConnect?.(socket);
      } catch (err) {
        this.hub.log.warn({ err, feature: feature.name, socket: socket.id }, 'socket connect work failed');
      }
    }
    for (const command of this.commands) {
      (socket.on as (event: string, listener: (...args: unknown[]) => void) => void)(command.name, (...args) => this.run(socket, budget, command, args));
    }
    socket.on('disconnect', () => {
      for (const feature of this.features) {
        try {
          feature.onDisconnect?.(socket);
        } catch (err) {
          this.hub.log.warn({ err, feature: feature.name, socket: socket.id }, 'socket disconnect work failed');
        }
      }
    });
  }

  private run(socket: HubSocket, budget: CommandBudget, command: WiredCommand, args: unknown[]): void {
    const p = socket.data.principal;
    const last = args[args.length - 1];
    const clientAck = typeof last === 'function' ? (last as (reply: Reply) => void) : null;
    let answered = false;
    const reply = (r: Reply) => {
      if (answered) return;
      answered = true;
      if (command.def.audited) {
        this.hub.audit.record({ hallId: p.hallId, ...actorOf(p), action: `SOCKET ${command.name}`, target: null, status: ackStatus(r), ip: clientAddress(socket.handshake.address, socket.handshake.headers['x-forwarded-for'], this.trust) });
      }
      try {
        clientAck?.(r);
      } catch (err) {
        this.hub.log.warn({ err, socket: socket.id }, 'socket ack failed');
      }
    };
    const refuse = (code: string, message: string) => reply({ ok: false, error: { code, message } });

    if (!allows(command.def.access, p)) {
      const who = p.type === 'user' ? `Vai trò "${p.user.role}"` : `Thiết bị loại "${p.device.kind}"`;
      return refuse('forbidden', `${who} không được gửi ${command.name} / not allowed`);
    }
    const payload = command.check ? args[0] : undefined;
    if (command.check && !command.check.check(payload)) return refuse('bad_request', `Dữ liệu ${command.name} không hợp lệ / invalid payload`);
    // Only commands the hub does work for are charged: refused ones cost no more than reading them.
    if (!budget.take()) {
      refuse('rate_limited', 'Gửi lệnh quá nhanh, hãy thử lại sau / too many commands, slow down');
      if (budget.overInARow >= COMMAND_OVER_LIMIT_DISCONNECT) {
        this.hub.log.warn({ socket: socket.id, hallId: p.hallId }, 'socket over its command budget: disconnected');
        socket.disconnect(true);
      }
      return;
    }
    Promise.resolve()
      .then(() => command.def.handle(socket, payload as never))
      .then(
        (data) => reply(data === undefined ? { ok: true } : { ok: true, data }),
        (err: unknown) => {
          if (err instanceof HubError) return refuse(err.code, err.message);
          this.hub.log.warn({ err, command: command.name, socket: socket.id }, 'socket command failed');
          refuse('unavailable', command.def.unavailableMessage ?? 'Không thực hiện được, hãy thử lại / not done, retry');
        },
      );
  }

  /**
   * The wiring as text, one line per bus event (its handlers in the order they run), per socket command
   * (who may send it, who serves it) and for socket connect/disconnect work.
   */
  describe(): string {
    const lines: string[] = [];
    const events = new Map<string, string[]>();
    for (const feature of this.features) {
      for (const event of Object.keys(feature.handles ?? {})) events.set(event, [...(events.get(event) ?? []), feature.name]);
    }
    for (const event of [...events.keys()].sort()) lines.push(`${event} → ${events.get(event)!.join(', ')}`);
    for (const c of [...this.commands].sort((a, b) => a.name.localeCompare(b.name))) {
      lines.push(`socket ${c.name}${c.check ? '(payload)' : ''} [${describeAccess(c.def.access)}]${c.def.audited ? ' audited' : ''} → ${c.owner}`);
    }
    const named = (pick: (f: Feature) => unknown) => this.features.filter(pick).map((f) => f.name).join(', ');
    lines.push(`socket connect → ${named((f) => f.onConnect)}`);
    lines.push(`socket disconnect → ${named((f) => f.onDisconnect)}`);
    lines.push(`routes → ${named((f) => f.routes)}`);
    return lines.join('\n');
  }
}
