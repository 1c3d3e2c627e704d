import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, createTestDatabase, seedHall, type TestHub } from '../helpers/hub.js';
import type { DossierDetail, PublicDossier } from '../../protocol/index.js';
import { openCounter, startDossierHub, startRecorder, waitFor } from './dossier-support.js';

interface Mail {
  from: string;
  to: string[];
  raw: string;
}

/** RFC 2047 encoded words (=?UTF-8?B?…?= / =?UTF-8?Q?…?=) back to text. */
function decodeWords(s: string): string {
  return s
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?utf-8\?([bq])\?([^?]*)\?=/gi, (_m, enc: string, text: string) =>
      enc.toLowerCase() === 'b'
        ? Buffer.from(text, 'base64').toString('utf8')
        : Buffer.from(text.replace(/_/g, ' ').replace(/=([0-9a-f]{2})/gi, (_x, h: string) => String.fromCharCode(parseInt(h, 16))), 'latin1').toString('utf8'),
    );
}

/** Splits a single-part message into decoded headers and body. */
function parseMail(raw: string): { headers: Record<string, string>; body: string } {
  const [head = '', ...rest] = raw.split(/\r?\n\r?\n/);
  const headers: Record<string, string> = {};
  for (const line of head.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const i = line.indexOf(':');
    if (i > 0) headers[line.slice(0, i).toLowerCase()] = line.slice(i + 1).trim();
  }
  let body = rest.join('\n\n');
  const cte = (headers['content-transfer-encoding'] ?? '7bit').toLowerCase();
  if (cte === 'quoted-printable') {
    body = Buffer.from(body.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/gi, (_x, h: string) => String.fromCharCode(parseInt(h, 16))), 'latin1').toString('utf8');
  } else if (cte === 'base64') {
    body = Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  }
  return { headers: { ...headers, subject: decodeWords(headers.subject ?? '') }, body: body.replace(/\r\n/g, '\n') };
}

describe('applicant notices by e-mail and SMS', () => {
  let dbh: Awaited<ReturnType<typeof createTestDatabase>>;
  let hub: TestHub;
  let smtp: SMTPServer;
  let smtpPort = 0;
  const accepted: Mail[] = [];
  let smtpAttempts = 0;
  /** The SMS gateway refuses its first request, then accepts. */
  let gateway: Awaited<ReturnType<typeof startRecorder>>;
  let staffToken: string;

  beforeAll(async () => {
    dbh = await createTestDatabase();
    await seedHall(dbh.db);
    smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      onData(stream, session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          smtpAttempts++;
          if (smtpAttempts === 1) {
            // The first message meets a temporary failure: the hub must retry it, later, once.
            const err = Object.assign(new Error('Hộp thư tạm thời bận, thử lại sau'), { responseCode: 451 });
            return callback(err);
          }
          accepted.push({
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            to: session.envelope.rcptTo.map((r) => r.address),
            raw: Buffer.concat(chunks).toString('utf8'),
          });
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', () => resolve()));
    const addr = smtp.server.address();
    smtpPort = typeof addr === 'object' && addr ? addr.port : 0;
    gateway = await startRecorder((_r, i) => (i === 0 ? 502 : 202));
    hub = await startDossierHub({
      url: dbh.url,
      config: { smtpUrl: `smtp://127.0.0.1:${smtpPort}`, mailFrom: 'Bộ phận Một cửa <motcua@minhhoa.gov.vn>', smsGatewayUrl: `${gateway.url}/sms/send`, publicUrl: 'https://motcua.minhhoa.gov.vn' },
    });
    staffToken = (await openCounter(hub, 'canbo3', 3)).token;
  });
  afterAll(async () => {
    await hub?.close();
    await gateway?.close();
    await new Promise<void>((resolve) => (smtp ? smtp.close(() => resolve()) : resolve()));
    await dbh?.drop();
  });

  it('e-mails and texts the applicant when the result is ready, once, retrying failures, and notes it in the timeline', async () => {
    const created = await api<DossierDetail>(hub, 'POST', '/dossiers', staffToken, {
      procedure: 'Đăng ký biến động quyền sử dụng đất, tài sản gắn liền với đất',
      applicantName: 'Nguyễn Thị Mỹ Hạnh',
      applicantPhone: '0903 123 456',
      applicantEmail: 'hanh.nguyen@example.vn',
    });
    const code = created.body.code;
    const key = created.body.lookupKey!;
    // No notice for the other statuses.
    await api(hub, 'POST', `/dossiers/${code}/events`, staffToken, { status: 'processing' });
    const ready = await api<DossierDetail>(hub, 'POST', `/dossiers/${code}/events`, staffToken, { status: 'result_ready', note: 'Đã ký Giấy chứng nhận' });
    expect(ready.status).toBe(200);

    const timeline = await waitFor('both notices noted in the timeline', async () => {
      const d = (await api<DossierDetail>(hub, 'GET', `/dossiers/${code}/detail`, staffToken)).body;
      return d.timeline.filter((t) => t.kind === 'notification').length === 2 ? d.timeline : undefined;
    });
    expect(accepted).toHaveLength(1);
    expect(smtpAttempts).toBe(2);
    const mail = accepted[0]!;
    expect(mail.to).toEqual(['hanh.nguyen@example.vn']);
    expect(mail.from).toBe('motcua@minhhoa.gov.vn');
    const { headers, body } = parseMail(mail.raw);
    expect(headers.subject).toBe(`Hồ sơ ${code} đã có kết quả`);
    expect(headers['content-type']).toMatch(/text\/plain; charset=utf-8/i);
    expect(body).toContain('Kính gửi Ông/Bà Nguyễn Thị Mỹ Hạnh,');
    expect(body).toContain(`Hồ sơ số ${code} (Đăng ký biến động quyền sử dụng đất, tài sản gắn liền với đất) của Ông/Bà đã có kết quả.`);
    expect(body).toContain('Mời Ông/Bà đến quầy số 3, Trung tâm Phục vụ hành chính công xã Minh Hòa để nhận kết quả');
    expect(body).toMatch(new RegExp(`Tra cứu tình trạng hồ sơ: https://motcua\\.minhhoa\\.gov\\.vn/lookup/\\?code=${code.replace(/\./g, '\\.')}&key=[A-Z2-9]{8}`));

    const sms = gateway.requests.filter((r) => r.url === '/sms/send');
    expect(sms).toHaveLength(2); // refused once, then accepted
    expect(sms[0]!.headers['idempotency-key']).toBe(sms[1]!.headers['idempotency-key']);
    expect(JSON.parse(sms[1]!.body)).toEqual({
      to: '0903123456',
      text: `Hồ sơ ${code} đã có kết quả. Mời Ông/Bà đến quầy số 3 để nhận. Tra cứu: https://motcua.minhhoa.gov.vn/lookup/?code=${code}&key=${key}`,
    });

    const notes = timeline.filter((t) => t.kind === 'notification');
    expect(notes.map((t) => t.note).sort()).toEqual(['Đã gửi e-mail thông báo', 'Đã gửi tin nhắn SMS thông báo']);
    expect(notes.every((t) => t.status === 'result_ready')).toBe(true);
    // The public lookup shows the notices too, never the address or the phone.
    const pub = await api<PublicDossier>(hub, 'GET', `/dossiers/${code}?key=${key}`);
    expect(pub.body.timeline.filter((t) => t.kind === 'notification')).toHaveLength(2);
    expect(JSON.stringify(pub.body)).not.toMatch(/example\.vn|0903/);

    // Handing the result back sends nothing more; the outbox holds each notice once, sent.
    await api(hub, 'POST', `/dossiers/${code}/events`, staffToken, { status: 'returned' });
    const { rows } = await dbh.db.query<{ channel: string; state: string; attempts: number }>(
      `SELECT o.channel, state, attempts FROM dossier_outbox o JOIN dossiers d ON d.id = o.dossier_id WHERE d.code = $1 ORDER BY o.channel`,
      [code],
    );
    expect(rows).toEqual([
      { channel: 'email', state: 'sent', attempts: 2 },
      { channel: 'sms', state: 'sent', attempts: 2 },
    ]);
    expect(accepted).toHaveLength(1);
  });

  it('asks for the missing documents by e-mail with the staff note; no contact, no notice', async () => {
    const created = await api<DossierDetail>(hub, 'POST', '/dossiers', staffToken, {
      procedure: 'Cấp Giấy chứng nhận quyền sử dụng đất lần đầu',
      applicantName: 'Trương Văn Tâm',
      applicantEmail: 'tam.truong@example.vn',
    });
    const code = created.body.code;
    await api(hub, 'POST', `/dossiers/${code}/events`, staffToken, {
      status: 'supplement_required',
      missingPapers: [{ name: 'Bản đo đạc thửa đất', reason: 'chưa có xác nhận của UBND xã' }],
    });
    const mail = await waitFor('the supplement e-mail', () => accepted.find((m) => m.to.includes('tam.truong@example.vn')));
    const { headers, body } = parseMail(mail.raw);
    expect(headers.subject).toBe(`Hồ sơ ${code} cần bổ sung giấy tờ`);
    expect(body).toContain('Nội dung cần bổ sung: Bản đo đạc thửa đất (chưa có xác nhận của UBND xã)');
    expect(body).toContain('Mời Ông/Bà đến quầy số 3, Trung tâm Phục vụ hành chính công xã Minh Hòa để được hướng dẫn và nộp bổ sung.');

    const silent = await api<DossierDetail>(hub, 'POST', '/dossiers', staffToken, { procedure: 'Đăng ký khai sinh', applicantName: 'Không Liên Lạc' });
    await api(hub, 'POST', `/dossiers/${silent.body.code}/events`, staffToken, { status: 'result_ready' });
    const { rows } = await dbh.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM dossier_outbox o JOIN dossiers d ON d.id = o.dossier_id WHERE d.code = $1`, [
      silent.body.code,
    ]);
    expect(rows[0]!.n).toBe(0);
  });
});
