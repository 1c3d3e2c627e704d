/** Keys of outside systems: created by an admin (shown once), sent as `X-Api-Key`, kept only as a hash. */
import { createHash, randomBytes } from 'node:crypto';
import type { Db } from '../db/pool.js';
import { badRequest, notFound } from '../errors.js';
import { webhookHostProblem } from './webhook-hosts.js';
import type { CreatedIntegration, CreateIntegrationBody, Integration } from '../../protocol/index.js';
import * as repo from './integrations.repo.js';

export const API_KEY_HEADER = 'x-api-key';
const hashKey = (key: string) => createHash('sha256').update(key, 'utf8').digest('hex');

export interface IntegrationPrincipal {
  keyId: number;
  hallId: number;
  name: string;
}

export class IntegrationsService {
  private readonly cache = new Map<string, { value: IntegrationPrincipal | null; until: number }>();

  /** `webhookAllowHosts`: hosts a webhook may reach although they are loopback, link-local or the hub's own. */
  constructor(
    private readonly db: Db,
    private readonly webhookAllowHosts: readonly string[] = [],
  ) {}

  async create(hallId: number, body: CreateIntegrationBody): Promise<CreatedIntegration> {
    const problem = body.webhookUrl ? await webhookHostProblem(body.webhookUrl, this.webhookAllowHosts) : null;
    if (problem) throw badRequest(`Không gửi webhook tới ${problem} (thêm vào WEBHOOK_ALLOW_HOSTS nếu đúng là nơi nhận)`, 'webhook_host_refused');
    const key = `ik_${randomBytes(32).toString('base64url')}`;
    const webhookSecret = `whsec_${randomBytes(32).toString('base64url')}`;
    const row = await repo.insertKey(this.db, {
      hallId,
      name: body.name.trim(),
      keyHash: hashKey(key),
      keyPrefix: key.slice(0, 10),
      webhookUrl: body.webhookUrl ?? null,
      webhookSecret,
    });
    return { id: row.id, name: row.name, key, webhookUrl: row.webhook_url, webhookSecret };
  }

  async list(hallId: number): Promise<Integration[]> {
    return (await repo.listKeys(this.db, hallId)).map((k) => ({
      id: k.id,
      name: k.name,
      keyPrefix: k.key_prefix,
      webhookUrl: k.webhook_url,
      createdAt: k.created_at.toISOString(),
      revoked: k.revoked_at !== null,
    }));
  }

  async revoke(hallId: number, id: number): Promise<void> {
    if (!(await repo.revokeKey(this.db, hallId, id))) throw notFound(`Không có khóa tích hợp số ${id} đang hoạt động`);
    this.cache.clear();
  }

  /** The outside system a key belongs to, or null for an unknown or revoked key (cached for 3 s). */
  async authenticate(key: string): Promise<IntegrationPrincipal | null> {
    if (key.length < 10 || key.length > 200) return null;
    const now = Date.now();
    const hit = this.cache.get(key);
    if (hit && hit.until > now) return hit.value;
    const row = await repo.findActiveKey(this.db, hashKey(key));
    const value = row ? { keyId: row.id, hallId: row.hall_id, name: row.name } : null;
    if (this.cache.size > 1000) this.cache.clear();
    this.cache.set(key, { value, until: now + 3000 });
    return value;
  }
}
