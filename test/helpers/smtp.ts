// A real SMTP server on loopback (smtp-server) that records what arrives, and can refuse the next messages.
import { SMTPServer, type SMTPServerDataStream } from 'smtp-server';

export interface Received {
  to: string[];
  raw: string;
}

export interface LoopbackSmtp {
  url: string;
  received: Received[];
  /** answers the next DATA commands with these SMTP errors, in order (then accepts) */
  refuse: Array<{ code: number; text: string }>;
  close(): Promise<void>;
}

export async function startSmtp(): Promise<LoopbackSmtp> {
  const received: Received[] = [];
  const refuse: LoopbackSmtp['refuse'] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream: SMTPServerDataStream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const refusal = refuse.shift();
        if (refusal) return callback(Object.assign(new Error(refusal.text), { responseCode: refusal.code }));
        received.push({ to: session.envelope.rcptTo.map((r) => r.address), raw: Buffer.concat(chunks).toString('utf8') });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.server.address() as { port: number }).port;
  const smtp: LoopbackSmtp = { url: `smtp://127.0.0.1:${port}`, received, refuse, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
  return smtp;
}

/** A part (text/plain or text/html) of a MIME message, quoted-printable decoded. */
export function mimePart(raw: string, type: 'plain' | 'html'): string {
  const part = new RegExp(`Content-Type: text\\/${type}[^\\r\\n]*\\r?\\n(?:[^\\r\\n]+\\r?\\n)*\\r?\\n([\\s\\S]*?)\\r?\\n--`, 'i').exec(raw)![1];
  const bytes = part.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_m, hex) => String.fromCharCode(parseInt(hex, 16)));
  return Buffer.from(bytes, 'latin1').toString('utf8');
}

export const plainText = (raw: string) => mimePart(raw, 'plain');

