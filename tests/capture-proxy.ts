// A loopback TCP proxy in front of the relay that keeps every WebSocket frame, both ways, as the
// text it carried: what someone logging the stream between clients and relay would have.
import net from 'node:net';

export interface Capture {
  /** http://127.0.0.1:port: give this to clients instead of the relay's URL. */
  url: string;
  /** The text of every frame seen so far, client → relay and relay → client. */
  frames(): string[];
  close(): Promise<void>;
}

/** Splits a byte stream into WebSocket frames (RFC 6455), unmasking client frames. */
class FrameReader {
  private buffer = Buffer.alloc(0);
  private upgraded = false;
  private fragments: Buffer[] = [];

  constructor(private readonly out: string[]) {}

  push(chunk: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    if (!this.upgraded) {
      const end = this.buffer.indexOf('\r\n\r\n');
      if (end < 0) return;
      this.buffer = this.buffer.subarray(end + 4);
      this.upgraded = true;
    }
    for (;;) {
      if (this.buffer.length < 2) return;
      const fin = (this.buffer[0]! & 0x80) !== 0;
      const opcode = this.buffer[0]! & 0x0f;
      const masked = (this.buffer[1]! & 0x80) !== 0;
      let length = this.buffer[1]! & 0x7f;
      let offset = 2;
      if (length === 126) {
        if (this.buffer.length < 4) return;
        length = this.buffer.readUInt16BE(2);
        offset = 4;
      } else if (length === 127) {
        if (this.buffer.length < 10) return;
        length = Number(this.buffer.readBigUInt64BE(2));
        offset = 10;
      }
      const maskOffset = offset;
      if (masked) offset += 4;
      if (this.buffer.length < offset + length) return;
      const payload = Buffer.from(this.buffer.subarray(offset, offset + length));
      if (masked) for (let i = 0; i < payload.length; i++) payload[i]! ^= this.buffer[maskOffset + (i % 4)]!;
      this.buffer = this.buffer.subarray(offset + length);
      if (opcode === 0x1 || opcode === 0x0) {
        this.fragments.push(payload);
        if (fin) this.out.push(Buffer.concat(this.fragments.splice(0)).toString('utf8'));
      }
    }
  }
}

export async function captureProxy(relayPort: number): Promise<Capture> {
  const frames: string[] = [];
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const relay = net.connect(relayPort, '127.0.0.1');
    const up = new FrameReader(frames);
    const down = new FrameReader(frames);
    for (const s of [client, relay]) {
      sockets.add(s);
      s.on('error', () => undefined);
      s.on('close', () => {
        client.destroy();
        relay.destroy();
      });
    }
    client.on('data', (chunk) => {
      up.push(chunk);
      relay.write(chunk);
    });
    relay.on('data', (chunk) => {
      down.push(chunk);
      client.write(chunk);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    frames: () => [...frames],
    close: () =>
      new Promise((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
