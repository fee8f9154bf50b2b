// A loopback TCP proxy in front of the relay that keeps every WebSocket frame, both ways, as the
// text it carried: what someone logging the stream between clients and relay would have. It can
// also slip frames of its own to a client, as a hostile relay (or one in the middle) would.
import net from 'node:net';

export interface Capture {
  /** http://127.0.0.1:port: give this to clients instead of the relay's URL. */
  url: string;
  /** The text of every frame seen so far, client → relay and relay → client. */
  frames(): string[];
  /** Sends a frame to the device that logged in with this key, between the relay's own frames. */
  toDevice(deviceKey: string, frame: object): void;
  close(): Promise<void>;
}

/** Splits a byte stream into WebSocket frames (RFC 6455), unmasking client frames. */
class FrameReader {
  private buffer = Buffer.alloc(0);
  private upgraded = false;
  private fragments: Buffer[] = [];

  constructor(private readonly out: (text: string) => void) {}

  /** Between two whole frames of the stream, where another frame can go without corrupting it. */
  get atBoundary(): boolean {
    return this.upgraded && this.buffer.length === 0 && this.fragments.length === 0;
  }

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
        if (fin) this.out(Buffer.concat(this.fragments.splice(0)).toString('utf8'));
      }
    }
  }
}

/** An unmasked text frame, as a server sends it (RFC 6455). */
function textFrame(text: string): Buffer {
  const payload = Buffer.from(text, 'utf8');
  let header: Buffer;
  if (payload.length < 126) {
    header = Buffer.from([0, payload.length]);
  } else if (payload.length < 65_536) {
    header = Buffer.alloc(4);
    header.writeUInt16BE(payload.length, 2);
    header[1] = 126;
  } else {
    header = Buffer.alloc(10);
    header.writeBigUInt64BE(BigInt(payload.length), 2);
    header[1] = 127;
  }
  header[0] = 0x81;
  return Buffer.concat([header, payload]);
}

/** One client's connection through the proxy, and the device it logged in as. */
interface Tunnel {
  client: net.Socket;
  down: FrameReader;
  device: string | undefined;
  /** Frames to slip in once the relay's stream is between two frames. */
  held: Buffer[];
}

export async function captureProxy(relayPort: number): Promise<Capture> {
  const frames: string[] = [];
  const sockets = new Set<net.Socket>();
  const tunnels: Tunnel[] = [];
  const server = net.createServer((client) => {
    const relay = net.connect(relayPort, '127.0.0.1');
    const down = new FrameReader((text) => frames.push(text));
    const tunnel: Tunnel = { client, down, device: undefined, held: [] };
    tunnels.push(tunnel);
    const up = new FrameReader((text) => {
      frames.push(text);
      const frame = JSON.parse(text) as { type?: unknown; identityKey?: unknown };
      if (frame.type === 'auth' && typeof frame.identityKey === 'string') tunnel.device = frame.identityKey;
    });
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
      if (down.atBoundary) for (const frame of tunnel.held.splice(0)) client.write(frame);
    });
    client.on('close', () => {
      const at = tunnels.indexOf(tunnel);
      if (at >= 0) tunnels.splice(at, 1);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    frames: () => [...frames],
    toDevice: (deviceKey, frame) => {
      const tunnel = tunnels.findLast((t) => t.device === deviceKey);
      if (!tunnel) throw new Error(`no connection of device ${deviceKey.slice(0, 8)}… through the proxy`);
      const text = JSON.stringify(frame);
      frames.push(text);
      if (tunnel.down.atBoundary) tunnel.client.write(textFrame(text));
      else tunnel.held.push(textFrame(text));
    },
    close: () =>
      new Promise((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
