// A bare HTTP/1.1 exchange over TCP: sends exactly the bytes it is given (CR and LF inside a header,
// bytes above 0x7F, names fetch and node:http refuse) and reads the first final answer back.
import net from 'node:net';

export interface RawResponse {
  status: number;
  /** Lowercase names; a repeated header keeps its last value. */
  headers: Record<string, string>;
  body: Buffer;
}

/** closed: the server closed the connection after its answer (a 101 is left open, and not waited on). */
export type RawOutcome = { response: RawResponse; closed: boolean } | { closedWithoutAnswer: true } | { timedOut: true };

const HEAD_END = Buffer.from('\r\n\r\n');

/** The chunked body when it is complete, else undefined. */
function dechunk(data: Buffer): Buffer | undefined {
  const parts: Buffer[] = [];
  let at = 0;
  for (;;) {
    const lineEnd = data.indexOf('\r\n', at);
    if (lineEnd < 0) return undefined;
    const size = parseInt(data.subarray(at, lineEnd).toString('latin1'), 16);
    if (!Number.isFinite(size)) return undefined;
    if (size === 0) return Buffer.concat(parts);
    if (data.length < lineEnd + 2 + size + 2) return undefined;
    parts.push(data.subarray(lineEnd + 2, lineEnd + 2 + size));
    at = lineEnd + 2 + size + 2;
  }
}

/**
 * The first final response in `data` (a 100 Continue before it is skipped; a 101 is final), or
 * undefined while it is incomplete. `ended`: the server closed, so what is there is all there is.
 */
export function parseResponse(data: Buffer, ended: boolean): RawResponse | undefined {
  let rest = data;
  for (;;) {
    const end = rest.indexOf(HEAD_END);
    if (end < 0) return undefined;
    const [statusLine = '', ...lines] = rest.subarray(0, end).toString('latin1').split('\r\n');
    const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(statusLine)?.[1]);
    if (!Number.isInteger(status)) return undefined;
    const headers: Record<string, string> = {};
    for (const line of lines) {
      const colon = line.indexOf(':');
      if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
    }
    const body = rest.subarray(end + HEAD_END.length);
    if (status >= 100 && status < 200 && status !== 101) {
      rest = body;
      continue;
    }
    if (status === 101) return { status, headers, body: Buffer.alloc(0) };
    const length = headers['content-length'];
    if (length !== undefined) return body.length >= Number(length) ? { status, headers, body: body.subarray(0, Number(length)) } : undefined;
    if (headers['transfer-encoding']?.toLowerCase() === 'chunked') {
      const whole = dechunk(body);
      return whole ? { status, headers, body: whole } : ended ? { status, headers, body } : undefined;
    }
    return ended ? { status, headers, body } : undefined;
  }
}

/**
 * Writes `request` to a new connection and resolves with the first final response, and whether the
 * server then closed the connection within `closeWithinMs` (every request here asks it to: with
 * Connection: close, or an upgrade it refuses). The connection is not half-closed after the
 * request: Node's server takes that as the client leaving, and drops an answer still being worked
 * out (a password check).
 */
export function rawExchange(port: number, request: Buffer, timeoutMs: number, closeWithinMs = 2000): Promise<RawOutcome> {
  return new Promise((resolve) => {
    let received = Buffer.alloc(0);
    let answer: RawResponse | undefined;
    let settled = false;
    const socket = net.connect(port, '127.0.0.1', () => socket.write(request));
    const finish = (outcome: RawOutcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(outcome);
    };
    let timer = setTimeout(() => finish({ timedOut: true }), timeoutMs);
    socket.on('data', (chunk: Buffer) => {
      if (answer) return;
      received = Buffer.concat([received, chunk]);
      answer = parseResponse(received, false);
      if (!answer) return;
      if (answer.status === 101) return finish({ response: answer, closed: false });
      const response = answer;
      clearTimeout(timer);
      timer = setTimeout(() => finish({ response, closed: false }), closeWithinMs);
    });
    socket.on('error', () => undefined);
    socket.on('close', () => {
      const response = answer ?? parseResponse(received, true);
      finish(response ? { response, closed: true } : { closedWithoutAnswer: true });
    });
  });
}
