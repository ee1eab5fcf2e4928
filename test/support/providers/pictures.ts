import { randomBytes } from 'node:crypto';
import { Server, createServer } from 'node:http';
import { AddressInfo } from 'node:net';
import { crc32, deflateSync } from 'node:zlib';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** PNG-signed bytes of the given size: what the providers and the picture check take for a PNG. */
export function png(bytes: number): Buffer {
  return Buffer.concat([PNG_SIGNATURE, randomBytes(Math.max(0, bytes - PNG_SIGNATURE.length))]);
}

/** A real picture a browser shows: a width × height PNG, top to bottom from one colour to another. */
export function gradientPng(width: number, height: number, from: number[], to: number[]): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8-bit RGB
  const rows = Array.from({ length: height }, (_, y) => {
    const colour = from.map((c, i) => Math.round(c + ((to[i] - c) * y) / Math.max(1, height - 1)));
    return Buffer.from([0, ...Array.from({ length: width }, () => colour).flat()]);
  });
  return Buffer.concat([
    PNG_SIGNATURE,
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(Buffer.concat(rows))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
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
