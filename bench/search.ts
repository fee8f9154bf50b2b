// Search over a long history: N messages (default 1,000,000) in 200 conversations, mixed English
// and Chinese, written into a real encrypted history the way the client writes them (so through
// the search index's triggers); then 100 queries of the kinds people type, timed to their first
// page of results.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { History } from '../core/history.js';
import { HISTORY_FILE } from '../core/profile.js';
import { MessageSearch } from '../core/search/message-search.js';
import { HistoryKey } from '../core/vault/history-key.js';
import { percentile } from './stats.js';

const CONVERSATIONS = 200;
const QUERIES = 100;
const FIRST_PAGE = 20;
const BATCH = 10_000;

const ENGLISH = (
  'the and meeting tomorrow lunch project release deadline coffee weekend photo airport train ticket hotel ' +
  'budget report review design server client message morning evening dinner birthday holiday garden music ' +
  'movie football weather rain snow summer winter office school library doctor market bread cheese apple ' +
  'orange banana bicycle mountain river ocean island village city bridge museum concert festival kitchen'
).split(' ');
const CHINESE = (
  '明天 开会 午饭 项目 发布 周末 照片 机场 火车 酒店 预算 报告 设计 服务器 早上 晚上 生日 假期 音乐 电影 ' +
  '足球 天气 下雨 夏天 冬天 办公室 学校 图书馆 医生 市场 面包 苹果 自行车 山上 河边 海边 城市 博物馆 音乐会 厨房 ' +
  '北京 上海 朋友 同事 老师 咖啡 时间 问题 谢谢 好的'
).split(' ');
const RARE = ['zephyr', 'quixotic', '麒麟', 'xylophone'];

/** A small deterministic generator (mulberry32): the same history on every run. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function sentence(next: () => number, i: number): string {
  const pick = <T>(list: T[]) => list[Math.floor(next() * list.length)]!;
  const chinese = next() < 0.5;
  const words = 3 + Math.floor(next() * 15);
  const parts: string[] = [];
  for (let w = 0; w < words; w++) parts.push(pick(chinese ? CHINESE : ENGLISH));
  // One message in ten thousand carries a rare word: a search with few results.
  if (i % 10_000 === 7) parts.push(pick(RARE));
  return chinese ? parts.join('') : parts.join(' ');
}

export async function benchSearch(messages: number): Promise<Record<string, unknown>> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'warbler-bench-search-'));
  const history = new History(path.join(dir, HISTORY_FILE), HistoryKey.generate());
  try {
    const next = random(1);
    for (let c = 0; c < CONVERSATIONS; c++) {
      history.ensureConversation({ id: `person${c}`, kind: 'direct', title: `person${c}`, members: ['me', `person${c}`] }, 0);
    }
    const written = performance.now();
    const db = history.database;
    const write = db.transaction((from: number, to: number) => {
      for (let i = from; i < to; i++) {
        const peer = `person${i % CONVERSATIONS}`;
        const outgoing = next() < 0.4;
        history.addMessage(
          {
            id: `m${i}`, conversationId: peer, sender: outgoing ? 'me' : peer, outgoing, kind: 'text', text: sentence(next, i),
            event: null, sentAt: i, serverTime: i, state: 'delivered',
          },
          { read: true, fromRelay: !outgoing },
        );
      }
    });
    for (let from = 0; from < messages; from += BATCH) write(from, Math.min(messages, from + BATCH));
    const writeSeconds = (performance.now() - written) / 1000;
    db.pragma('wal_checkpoint(TRUNCATE)');
    const fileMb = fs.statSync(path.join(dir, HISTORY_FILE)).size / 1e6;

    // The kinds of query people type: a common word, a word still being typed, two words, a
    // two-character Chinese word, a longer Chinese phrase, a rare word, one in a conversation.
    const search = new MessageSearch(db);
    const kinds: { name: string; run: (i: number) => number }[] = [
      { name: 'common word', run: (i) => search.search(ENGLISH[i % ENGLISH.length]!, { limit: FIRST_PAGE }).length },
      { name: 'prefix', run: (i) => search.search(ENGLISH[i % ENGLISH.length]!.slice(0, 3), { limit: FIRST_PAGE }).length },
      { name: 'two words', run: (i) => search.search(`${ENGLISH[i % ENGLISH.length]} ${ENGLISH[(i * 7 + 3) % ENGLISH.length]}`, { limit: FIRST_PAGE }).length },
      { name: 'Chinese word', run: (i) => search.search(CHINESE[i % CHINESE.length]!, { limit: FIRST_PAGE }).length },
      { name: 'Chinese phrase', run: (i) => search.search(`${CHINESE[i % CHINESE.length]}${CHINESE[(i * 5 + 1) % CHINESE.length]}`, { limit: FIRST_PAGE }).length },
      { name: 'rare word', run: (i) => search.search(RARE[i % RARE.length]!, { limit: FIRST_PAGE }).length },
      { name: 'in one conversation', run: (i) => search.search(ENGLISH[i % ENGLISH.length]!, { limit: FIRST_PAGE, conversation: `person${i % CONVERSATIONS}` }).length },
    ];
    const times: number[] = [];
    const byKind = new Map<string, number[]>();
    let found = 0;
    for (let i = 0; i < QUERIES; i++) {
      const kind = kinds[i % kinds.length]!;
      const started = performance.now();
      found += kind.run(i);
      const ms = performance.now() - started;
      times.push(ms);
      byKind.set(kind.name, [...(byKind.get(kind.name) ?? []), ms]);
    }
    times.sort((a, b) => a - b);
    const round = (ms: number) => Number(ms.toFixed(2));
    const p95 = percentile(times, 95);
    return {
      case: 'search',
      messages,
      conversations: CONVERSATIONS,
      written: { seconds: round(writeSeconds), messagesPerSecond: Math.round(messages / writeSeconds) },
      historyFileMb: round(fileMb),
      queries: QUERIES,
      resultsPerQuery: round(found / QUERIES),
      firstPageMs: { p50: round(percentile(times, 50)), p95: round(p95), max: round(times[times.length - 1]!) },
      p95ByKind: Object.fromEntries([...byKind].map(([name, ms]) => [name, round(percentile(ms.sort((a, b) => a - b), 95))])),
      target: { p95Ms: 50, met: p95 < 50 },
    };
  } finally {
    history.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
