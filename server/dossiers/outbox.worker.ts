/**
 * Delivers the dossier outbox: signed webhooks to outside systems, e-mail and SMS notices to applicants.
 *
 * Rows are claimed with FOR UPDATE SKIP LOCKED and a lease, so several hub processes share the work and a row
 * is sent by one of them at a time; a failure is retried with exponential backoff (with jitter) until it succeeds;
 * the rows are in PostgreSQL, so nothing is lost when a hub stops. A notice that was sent is marked sent in the
 * same transaction that writes its note into the dossier's timeline, and never queued or sent again. A hub that
 * dies between sending and marking leaves the row to be retried once its lease ends: the message id (Message-ID,
 * SMS Idempotency-Key, webhook delivery id) stays the same, so receivers can drop the repeat.
 */
import type { FastifyBaseLogger } from 'fastify';
import { type Db, transaction } from '../db/pool.js';
import type { Config } from '../config.js';
import * as outbox from './outbox.repo.js';
import { insertEvent } from './dossiers.repo.js';
import { deliverWebhook } from '../integrations/webhook.js';
import { Mailer } from '../notifications/mailer.js';
import { sendSms } from '../notifications/sms.js';
import type { DossierEventStatus } from '../../protocol/index.js';

const BATCH = 20;
const LEASE_MS = 120_000;
const SEND_TIMEOUT_MS = 15_000;

/** Delay before attempt `attempts + 1`: base · 2^(attempts−1), capped, ±20 % jitter. */
export function backoffMs(attempts: number, baseMs: number, maxMs: number, random = Math.random): number {
  const raw = Math.min(maxMs, baseMs * 2 ** Math.min(30, Math.max(0, attempts - 1)));
  return Math.round(raw * (0.8 + 0.4 * random()));
}

export class OutboxWorker {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private again = false;
  private stopped = true;
  private readonly mailer: Mailer | null;

  constructor(
    private readonly db: Db,
    private readonly config: Pick<Config, 'smtpUrl' | 'mailFrom' | 'smsGatewayUrl' | 'outboxPollMs' | 'outboxRetryBaseMs' | 'outboxRetryMaxMs' | 'webhookAllowHosts'>,
    private readonly log: FastifyBaseLogger,
  ) {
    this.mailer = config.smtpUrl ? new Mailer(config.smtpUrl, config.mailFrom) : null;
  }

  start(): void {
    this.stopped = false;
    this.kick();
  }

  /** Runs a pass now (after a commit that queued something); a pass already running goes round once more. */
  kick(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.running = this.pass().finally(() => {
      this.running = null;
      if (this.stopped) return;
      if (this.again) {
        this.again = false;
        this.kick();
        return;
      }
      this.timer = setTimeout(() => this.kick(), this.config.outboxPollMs);
      this.timer.unref();
    });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
    this.mailer?.close();
  }

  /** Claims and sends due rows until none is left. */
  private async pass(): Promise<void> {
    try {
      for (;;) {
        if (this.stopped) return;
        const rows = await outbox.claim(this.db, BATCH, LEASE_MS);
        if (rows.length === 0) return;
        await Promise.all(rows.map((row) => this.deliver(row)));
        if (rows.length < BATCH) return;
      }
    } catch (err) {
      this.log.warn({ err }, 'dossier outbox pass failed');
    }
  }

  private async deliver(row: outbox.OutboxRow): Promise<void> {
    if (row.channel === 'webhook' && row.key_revoked) {
      await outbox.markDropped(this.db, row.id, row.attempts, 'dropped: integration key revoked').catch((e: unknown) => this.log.warn({ err: e }, 'outbox markDropped failed'));
      return;
    }
    try {
      await this.send(row);
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      const delay = backoffMs(row.attempts, this.config.outboxRetryBaseMs, this.config.outboxRetryMaxMs);
      this.log.warn({ outboxId: row.id, channel: row.channel, attempts: row.attempts, retryInMs: delay, err: message }, 'dossier delivery failed');
      await outbox.markFailed(this.db, row.id, row.attempts, delay, message).catch((e: unknown) => this.log.warn({ err: e }, 'outbox markFailed failed'));
      return;
    }
    try {
      await transaction(this.db, async (tx) => {
        if (!(await outbox.markSent(tx, row.id, row.attempts))) return;
        const p = row.payload;
        if (p.channel === 'webhook') return;
        await insertEvent(tx, {
          dossierId: row.dossier_id,
          kind: 'notification',
          status: row.trigger_status as DossierEventStatus,
          fromStatus: null,
          note: p.note,
          staffId: null,
          counterId: null,
          integrationKeyId: null,
          eventId: null,
          forCitizen: true,
        });
      });
    } catch (err) {
      this.log.error({ err, outboxId: row.id }, 'dossier delivery sent but not recorded');
    }
  }

  private async send(row: outbox.OutboxRow): Promise<void> {
    const p = row.payload;
    switch (p.channel) {
      case 'webhook':
        if (!row.webhook_secret) throw new Error('integration key without a webhook secret');
        return deliverWebhook({
          url: row.target,
          secret: row.webhook_secret,
          body: p.body,
          deliveryId: p.deliveryId,
          event: (JSON.parse(p.body) as { type: string }).type,
          timeoutMs: SEND_TIMEOUT_MS,
          allowHosts: this.config.webhookAllowHosts,
        });
      case 'email':
        if (!this.mailer) throw new Error('SMTP_URL is not set');
        return this.mailer.send({ to: row.target, subject: p.subject, text: p.text, id: `hallhub-notice-${row.id}` });
      case 'sms':
        if (!this.config.smsGatewayUrl) throw new Error('SMS_GATEWAY_URL is not set');
        return sendSms(this.config.smsGatewayUrl, { to: row.target, text: p.text, id: `hallhub-notice-${row.id}` }, SEND_TIMEOUT_MS);
    }
  }
}
