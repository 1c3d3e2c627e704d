/** E-mail over SMTP with nodemailer (SMTP_URL, e.g. smtp://user:pass@mail.example.vn:587 or smtps://…:465). */
import nodemailer, { type Transporter } from 'nodemailer';

export class Mailer {
  private transport: Transporter | null = null;

  constructor(
    private readonly smtpUrl: string,
    private readonly from: string,
  ) {}

  /** Sends one message; resolves when the SMTP server accepted it. `id` becomes its stable Message-ID. */
  async send(m: { to: string; subject: string; text: string; id: string }): Promise<void> {
    this.transport ??= nodemailer.createTransport({ url: this.smtpUrl, connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 20_000 });
    const domain = /@([^>\s]+)>?$/.exec(this.from)?.[1] ?? 'hallhub.local';
    await this.transport.sendMail({ from: this.from, to: m.to, subject: m.subject, text: m.text, messageId: `<${m.id}@${domain}>` });
  }

  close(): void {
    this.transport?.close();
    this.transport = null;
  }
}
