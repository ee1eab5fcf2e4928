import { randomBytes } from 'node:crypto';
import { Server, createServer } from 'node:http';
import { AddressInfo } from 'node:net';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** PNG-signed bytes of the given size: what the providers and the picture check take for a PNG. */
export function png(bytes: number): Buffer {
  return Buffer.concat([PNG_SIGNATURE, randomBytes(Math.max(0, bytes - PNG_SIGNATURE.length))]);
}

/** A CDN on 127.0.0.1 serving the files it is given; it records every path asked for. */
export class PictureServer {
  readonly files = new Map<string, { type: string; body: Buffer }>();
  readonly fetched: string[] = [];
  private server?: Server;
  url = '';

  async start(): Promise<void> {
    this.server = createServer((request, response) => {
      this.fetched.push(request.url ?? '');
      const file = this.files.get(request.url ?? '');
      if (!file) return response.writeHead(404).end('not found');
      response.writeHead(200, { 'content-type': file.type, 'content-length': file.body.length }).end(file.body);
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    await new Promise((resolve) => this.server?.close(resolve));
  }
}
