import http from 'node:http';

export interface JsonReply<T> {
  status: number;
  body: T;
}

/** JSON over HTTP/1.1 with keep-alive connections (node:http Agent): what a kiosk or console keeps open. */
export class HttpClient {
  private readonly agent: http.Agent;
  private readonly host: string;
  private readonly port: number;

  constructor(base: string, maxSockets = 16) {
    const u = new URL(base);
    this.host = u.hostname;
    this.port = Number(u.port);
    this.agent = new http.Agent({ keepAlive: true, maxSockets, maxFreeSockets: maxSockets });
  }

  request<T = unknown>(method: string, path: string, opts: { token?: string | null; body?: unknown } = {}): Promise<JsonReply<T>> {
    const payload = opts.body === undefined ? null : Buffer.from(JSON.stringify(opts.body));
    const headers: http.OutgoingHttpHeaders = { accept: 'application/json' };
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    if (payload) {
      headers['content-type'] = 'application/json';
      headers['content-length'] = payload.length;
    }
    return new Promise((resolve, reject) => {
      const req = http.request({ host: this.host, port: this.port, method, path, headers, agent: this.agent, timeout: 30_000 }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          try {
            resolve({ status: res.statusCode ?? 0, body: (text ? JSON.parse(text) : null) as T });
          } catch (err) {
            reject(new Error(`${method} ${path}: ${res.statusCode ?? 0} with a body that is not JSON: ${text.slice(0, 200)} (${String(err)})`));
          }
        });
      });
      req.on('timeout', () => req.destroy(new Error(`${method} ${path}: no answer within 30 s`)));
      req.on('error', reject);
      req.end(payload ?? undefined);
    });
  }

  /** POST/GET that must answer `expect`; throws with the body otherwise. */
  async must<T = unknown>(method: string, path: string, expect: number | number[], opts: { token?: string | null; body?: unknown } = {}): Promise<JsonReply<T>> {
    const res = await this.request<T>(method, path, opts);
    const ok = Array.isArray(expect) ? expect.includes(res.status) : res.status === expect;
    if (!ok) throw new Error(`${method} ${path} answered ${res.status}: ${JSON.stringify(res.body).slice(0, 300)}`);
    return res;
  }

  close(): void {
    this.agent.destroy();
  }
}
