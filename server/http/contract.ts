import AjvModule, { type ErrorObject, type ValidateFunction } from 'ajv';
import formatsModule from 'ajv-formats';
import type { FastifyInstance, RouteOptions } from 'fastify';
import { ErrorBody } from '../../protocol/index.js';

const Ajv = AjvModule.default;
const addFormats = formatsModule.default;

/**
 * How the hub reads requests so that the contract tells the truth:
 * - bodies are validated as sent: no type coercion (`{"maxWaitMinutes": true}` is a 400, not a 1);
 * - path and query parameters are strings by nature and are converted, but a number there is written in plain
 *   decimal digits only (`0x1`, `1e1`, `+1`, ` 1` are 400s).
 */
export function strictValidation(app: FastifyInstance): void {
  const common = { strict: false, allErrors: false, removeAdditional: false, useDefaults: true, addUsedSchema: false } as const;
  const bodies = addFormats(new Ajv({ ...common, coerceTypes: false }));
  const parts = addFormats(new Ajv({ ...common, coerceTypes: 'array' }));
  app.setValidatorCompiler(({ schema, httpPart }) => {
    if (httpPart === 'body') return bodies.compile(schema);
    const validate = parts.compile(schema);
    return httpPart === 'params' || httpPart === 'querystring' ? plainNumbers(schema as JsonSchema, validate) : validate;
  });
}

interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  anyOf?: JsonSchema[];
  items?: JsonSchema;
}

const INTEGER = /^-?(0|[1-9][0-9]*)$/;
const DECIMAL = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?$/;

function numericKind(s: JsonSchema | undefined): RegExp | null {
  if (!s) return null;
  const types = [s.type ?? [], ...(s.anyOf ?? []).map((a) => a.type ?? []), s.items?.type ?? []].flat();
  if (types.includes('string')) return null;
  if (types.includes('number')) return DECIMAL;
  if (types.includes('integer')) return INTEGER;
  return null;
}

/** Checks that the numeric fields of a params/querystring object are plain digits before Ajv converts them. */
function plainNumbers(schema: JsonSchema, validate: ValidateFunction): ValidateFunction {
  const numeric = Object.entries(schema.properties ?? {})
    .map(([key, s]) => [key, numericKind(s)] as const)
    .filter((e): e is readonly [string, RegExp] => e[1] !== null);
  if (!numeric.length) return validate;
  const checked = ((data: unknown, ctx?: unknown) => {
    if (data && typeof data === 'object') {
      for (const [key, rule] of numeric) {
        const raw = (data as Record<string, unknown>)[key];
        const values = Array.isArray(raw) ? raw : [raw];
        if (values.some((v) => typeof v === 'string' && !rule.test(v))) {
          const error: ErrorObject = { instancePath: `/${key}`, schemaPath: `#/properties/${key}`, keyword: 'pattern', params: {}, message: 'must be written in plain decimal digits' };
          checked.errors = [error];
          return false;
        }
      }
    }
    const ok = (validate as (d: unknown, c?: unknown) => boolean)(data, ctx);
    checked.errors = validate.errors;
    return ok;
  }) as ValidateFunction;
  return Object.assign(checked, { schema: validate.schema, schemaEnv: validate.schemaEnv });
}

/** Routes that answer 429 when a caller goes over its pace (besides those whose schema says so). */
const RATE_LIMITED = new Set(['POST /api/v1/auth/login', 'POST /api/v1/tickets', 'GET /api/v1/dossiers/:code']);

const words = (url: string) =>
  url
    .replace(/^\/api\/v1\//, '')
    .split(/[/.]/)
    .filter(Boolean)
    .map((part) => (part.startsWith(':') ? `by-${part.slice(1)}` : part))
    .flatMap((part) => part.split(/[-_]/));
const capital = (w: string) => w.charAt(0).toUpperCase() + w.slice(1);

/** `GET /api/v1/counters/:id/queue` → `getCountersByIdQueue`. */
export const operationIdOf = (method: string, url: string): string => method.toLowerCase() + words(url).map(capital).join('');

interface RouteSchema {
  hide?: boolean;
  tags?: string[];
  summary?: string;
  description?: string;
  operationId?: string;
  body?: unknown;
  response?: Record<string | number, unknown>;
}

/**
 * Completes a /api/v1 route's OpenAPI operation: an operationId and a summary when the route gives none, and every
 * error status the hub can answer with: 400 (malformed request), 401/403 (guarded routes), 404, 409, 413/415
 * (routes with a body), 414 (routes with a path parameter), 429 (paced routes), 503 (database away).
 */
export function completeOperation(route: RouteOptions, guarded: boolean): void {
  if (!route.url.startsWith('/api/v1/')) return;
  const given = (route.schema ?? {}) as RouteSchema;
  if (given.hide) return;
  // Route modules share schema objects between routes: each route gets its own copy to complete.
  const schema: RouteSchema = { ...given, response: { ...given.response } };
  route.schema = schema as RouteOptions['schema'];
  const methods = [route.method].flat().filter((m) => m !== 'HEAD');
  const method = methods[0] ?? 'GET';
  const key = `${method} ${route.url}`;
  schema.operationId = given.operationId ?? operationIdOf(method, route.url);
  schema.summary = given.summary ?? SUMMARIES[key] ?? summaryOf(method, route.url, schema.description);
  const response = schema.response!;
  const add = (status: number) => {
    if (!(status in response)) response[status] = ErrorBody;
  };
  [400, 404, 409, 503].forEach(add);
  if (guarded) [401, 403].forEach(add);
  // A path parameter longer than Fastify's limit (100 characters) is refused as 414.
  if (route.url.includes(':')) add(414);
  if (schema.body && ['POST', 'PUT', 'PATCH'].includes(method)) [413, 415].forEach(add);
  if (RATE_LIMITED.has(key)) add(429);
}

/** Summaries of the operations whose route gives none (English; the descriptions carry the detail). */
const SUMMARIES: Record<string, string> = {
  'POST /api/v1/auth/login': 'Log in with username and password',
  'POST /api/v1/auth/logout': 'End this session',
  'GET /api/v1/auth/me': 'Who the token belongs to',
  'DELETE /api/v1/users/:id/sessions': "End all of a user's sessions",
  'DELETE /api/v1/users/:id/lock': "Clear a user's login lock",
  'GET /api/v1/users': "List the hall's staff accounts",
  'POST /api/v1/users': 'Create a staff account',
  'PATCH /api/v1/users/:id': 'Change a staff account',
  'POST /api/v1/devices': 'Register a device and get its token',
  'GET /api/v1/devices': 'List devices with their live health',
  'DELETE /api/v1/devices/:id': 'Revoke a device',
  'GET /api/v1/hall': 'The hall',
  'PATCH /api/v1/hall': "Change the hall's name and settings",
  'GET /api/v1/hall/settings': 'The hall with its settings',
  'GET /api/v1/departments': 'List departments',
  'POST /api/v1/departments': 'Create a department',
  'PATCH /api/v1/departments/:id': 'Change a department',
  'GET /api/v1/services': 'List services with their waiting counts',
  'POST /api/v1/services': 'Create a service',
  'PATCH /api/v1/services/:id': 'Change a service',
  'GET /api/v1/counters': 'List counters',
  'POST /api/v1/counters': 'Create a counter',
  'PATCH /api/v1/counters/:id': 'Change a counter',
  'POST /api/v1/tickets': 'Issue a ticket',
  'GET /api/v1/tickets/:id': 'Follow a ticket',
  'POST /api/v1/counters/:id/open': 'Open a counter',
  'POST /api/v1/counters/:id/pause': 'Pause a counter',
  'POST /api/v1/counters/:id/resume': 'Resume a paused counter',
  'POST /api/v1/counters/:id/close': 'Close a counter',
  'POST /api/v1/counters/:id/next': 'Call the next ticket',
  'POST /api/v1/counters/:id/call': 'Call a chosen ticket',
  'POST /api/v1/counters/:id/recall': 'Call the current ticket again',
  'POST /api/v1/counters/:id/serve': 'Start serving the called ticket',
  'POST /api/v1/counters/:id/done': 'Finish the current ticket',
  'POST /api/v1/counters/:id/no-show': 'Mark the called ticket as a no-show',
  'POST /api/v1/counters/:id/transfer': 'Transfer the current ticket to another service',
  'GET /api/v1/counters/:id/queue': "The counter's queue",
  'GET /api/v1/display/snapshot': "The hall display's snapshot",
  'GET /api/v1/voice/settings': "The hall's voice settings",
  'PUT /api/v1/voice/settings': "Set the hall's voice settings",
  'GET /api/v1/printers/status': 'Printer states',
  'POST /api/v1/tickets/:id/reprint': 'Reprint a ticket',
  'GET /api/v1/print-jobs': 'List print jobs',
  'GET /api/v1/print-jobs/:id': 'One print job',
  'GET /api/v1/procedures': 'List procedures',
  'POST /api/v1/procedures': 'Create a procedure',
  'PATCH /api/v1/procedures/:id': 'Change a procedure',
  'GET /api/v1/holidays': 'List holidays',
  'POST /api/v1/holidays': 'Add a holiday',
  'POST /api/v1/holidays/defaults': "Add Vietnam's public holidays of a year",
  'DELETE /api/v1/holidays/:id': 'Remove a holiday',
  'POST /api/v1/integrations': 'Create an integration key',
  'GET /api/v1/integrations': 'List integrations',
  'DELETE /api/v1/integrations/:id': 'Revoke an integration',
  'POST /api/v1/dossiers': 'Receive a dossier',
  'GET /api/v1/dossiers': "Search the hall's dossiers",
  'GET /api/v1/dossiers/stats': 'Dossier counts',
  'GET /api/v1/dossiers/:code': 'Look a dossier up by its code',
  'GET /api/v1/dossiers/:code/detail': 'A dossier with its applicant (staff)',
  'POST /api/v1/dossiers/:code/events': 'Move a dossier to a new status',
  'GET /api/v1/audit': 'The audit log',
};

function summaryOf(method: string, url: string, description: string | undefined): string {
  const first = description?.split(/(?<=[.:;])\s/)[0]?.replace(/[.:;]$/, '');
  if (first && first.length <= 100) return first;
  const verb = { GET: 'Read', POST: 'Do', PUT: 'Set', PATCH: 'Change', DELETE: 'Remove' }[method] ?? method;
  return `${verb} ${words(url).filter((w) => !w.startsWith('by')).join(' ')}`;
}
