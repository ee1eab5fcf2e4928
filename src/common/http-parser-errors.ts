import type { Server } from 'node:http';
import { Duplex } from 'node:stream';
import { errorBody } from './error-body';

const CRLF = Buffer.from('\r\n');
const HEADERS_END = Buffer.from('\r\n\r\n');

function parserMessage(code: string | undefined): string {
  if (code === 'HPE_HEADER_OVERFLOW') return 'request line and headers are too large';
  if (code === 'HPE_INVALID_URL')
    return 'the address has characters that must be percent-encoded, e.g. ?q=a%20b, or ?q=%E4%B8%8A%E6%B5%B7 for 上海';
  return 'malformed HTTP request';
}

function answerRefused(error: NodeJS.ErrnoException, socket: Duplex): void {
  if (!socket.writable) return void socket.destroy();
  const tooLarge = error.code === 'HPE_HEADER_OVERFLOW';
  const body = JSON.stringify(errorBody(tooLarge ? 431 : 400, parserMessage(error.code)));
  const status = tooLarge ? '431 Request Header Fields Too Large' : '400 Bad Request';
  socket.end(
    `HTTP/1.1 ${status}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

/** How many body bytes the headers announce, or null when the request cannot be replayed whole (chunked). */
function announcedBodyLength(headers: string): number | null {
  if (/^transfer-encoding:/im.test(headers)) return null;
  const length = /^content-length:[ \t]*(\d+)[ \t]*$/im.exec(headers);
  return length ? Number(length[1]) : 0;
}

/**
 * The request with every byte above 0x7F in its target written as %XX (raw UTF-8 such as
 * `?q=上海`, which curl sends as typed), and `Connection: close` so the answer ends the exchange;
 * null unless the packet holds that whole request and its target has such bytes.
 */
export function percentEncodedRequest(packet: Buffer): Buffer | null {
  const lineEnd = packet.indexOf(CRLF);
  const headersEnd = packet.indexOf(HEADERS_END);
  if (lineEnd < 0 || headersEnd < lineEnd) return null;
  const line = packet.subarray(0, lineEnd);
  const targetStart = line.indexOf(0x20) + 1;
  const targetEnd = line.lastIndexOf(0x20);
  if (targetStart === 0 || targetEnd <= targetStart) return null;
  const target = line.subarray(targetStart, targetEnd);
  if (!target.some((byte) => byte > 0x7f)) return null;
  const bodyLength = announcedBodyLength(packet.subarray(lineEnd, headersEnd).toString('latin1'));
  const bodyEnd = headersEnd + HEADERS_END.length + (bodyLength ?? Infinity);
  if (bodyEnd > packet.length) return null;
  let encoded = '';
  for (const byte of target) encoded += byte > 0x7f ? `%${byte.toString(16).toUpperCase()}` : String.fromCharCode(byte);
  return Buffer.concat([
    line.subarray(0, targetStart),
    Buffer.from(encoded, 'latin1'),
    line.subarray(targetEnd),
    Buffer.from('\r\nConnection: close'),
    packet.subarray(lineEnd, bodyEnd),
  ]);
}

/**
 * Hands a repaired request to the server as a connection of its own whose answer goes back on the
 * client's socket; the socket closes once that answer has been written.
 */
function replay(server: Server, request: Buffer, socket: Duplex & { remoteAddress?: string }): void {
  const connection = new Duplex({
    read() {},
    write(chunk: Buffer, _encoding, done) {
      socket.write(chunk, done);
    },
    final(done) {
      socket.end();
      done();
    },
  });
  Object.assign(connection, {
    remoteAddress: socket.remoteAddress,
    remotePort: (socket as { remotePort?: number }).remotePort,
  });
  socket.on('close', () => connection.destroy());
  server.emit('connection', connection);
  // No end of input follows: the server would take it as the client leaving and drop the answer.
  // The request asks for Connection: close, so the server ends the exchange once it has answered.
  connection.push(request);
}

/**
 * Requests Node's HTTP parser refuses get the same error shape as the rest (a 16 KB header block
 * is 431). Node refuses bytes above 0x7F in the request target before any handler sees them; a
 * whole request with such a target is percent-encoded and answered as if the client had encoded it.
 */
export function handleParserErrors(server: Server): void {
  const repaired = new WeakSet<Duplex>();
  server.on('clientError', (error: NodeJS.ErrnoException & { rawPacket?: Buffer }, socket: Duplex) => {
    // Node's parser stays attached to a repaired socket and reports anything further sent on it.
    if (repaired.has(socket)) return;
    const request = error.code === 'HPE_INVALID_URL' && error.rawPacket ? percentEncodedRequest(error.rawPacket) : null;
    if (!request) return answerRefused(error, socket);
    repaired.add(socket);
    replay(server, request, socket);
  });
}
