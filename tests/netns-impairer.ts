// netem in user space, for kernels without sch_netem: run (by tests/netns.ts) in a namespace of its
// own, it takes the VXLAN datagrams of point-to-point links and passes each to the link's other end,
// as netem would: a share is lost, the rest delayed with jitter, and a share sent at once so that it
// overtakes the packets held back before it. Whole Ethernet frames, so TCP sees real loss.
//
//   node tests/netns-impairer.ts '{"port":4789,"links":[{"vni":1,"ends":["10.78.1.2","10.78.3.2"]}],"faults":{...}}'
//
// Prints {"event":"ready"} once listening; {"cmd":"stats"} on stdin prints its counters.
import dgram from 'node:dgram';
import readline from 'node:readline';
import type { Faults } from './netns.js';

interface Config {
  port: number;
  links: { vni: number; ends: [string, string] }[];
  faults: Faults;
  seed?: number;
}

const config = JSON.parse(process.argv[2] ?? '') as Config;
const { faults } = config;
const seed = config.seed ?? (Math.random() * 2 ** 32) >>> 0;

// mulberry32: the faults are drawn from a seed that is printed, so the draws can be replayed.
let state = seed;
function random(): number {
  state = (state + 0x6d2b79f5) >>> 0;
  let t = state;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
}

const links = new Map(config.links.map((l) => [l.vni, l.ends]));
/** Per link and direction: the next arrival's number, and the highest number passed on so far. */
const directions = new Map<string, { next: number; highest: number }>();
const counts = { received: 0, passed: 0, dropped: 0, early: 0, reordered: 0, ignored: 0 };

const socket = dgram.createSocket('udp4');
socket.on('message', (datagram, from) => {
  // VXLAN (RFC 7348): flags, 3 reserved bytes, the 24-bit VNI, 1 reserved byte, then the frame.
  const ends = datagram.length >= 8 ? links.get(datagram.readUIntBE(4, 3)) : undefined;
  if (!ends || !ends.includes(from.address)) {
    counts.ignored++;
    return;
  }
  const to = ends[0] === from.address ? ends[1] : ends[0];
  const key = `${datagram.readUIntBE(4, 3)}>${to}`;
  let dir = directions.get(key);
  if (!dir) directions.set(key, (dir = { next: 0, highest: -1 }));
  const number = dir.next++;
  counts.received++;
  if (random() * 100 < faults.lossPct) {
    counts.dropped++;
    return;
  }
  const pass = () => {
    if (number < dir.highest) counts.reordered++;
    else dir.highest = number;
    counts.passed++;
    socket.send(datagram, config.port, to);
  };
  if (random() * 100 < faults.reorderPct) {
    counts.early++;
    pass();
  } else {
    setTimeout(pass, Math.max(0, faults.delayMs + (random() * 2 - 1) * faults.jitterMs));
  }
});

socket.bind(config.port, '0.0.0.0', () => console.log(JSON.stringify({ event: 'ready', seed })));

readline.createInterface({ input: process.stdin }).on('line', (line) => {
  if ((JSON.parse(line) as { cmd?: string }).cmd === 'stats') console.log(JSON.stringify({ event: 'stats', seed, ...counts }));
});
// The test that started it is gone: so is the reason to run.
process.stdin.on('end', () => process.exit(0));
process.on('SIGTERM', () => process.exit(0));
