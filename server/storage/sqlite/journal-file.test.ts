// The journal's files on disk: what is read back of an epoch is exactly its whole records, whatever
// a crash left after them (a torn write, a flipped byte, the older epoch the file held before).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { JournalFile, encodeRecord, fileOf, holdsRecords, readEpoch } from './journal-file.js';

const newDir = () => fs.mkdtempSync(path.join(os.tmpdir(), 'warbler-journal-'));

function written(dir: string, epoch: number, records: unknown[]): JournalFile {
  const file = JournalFile.create(dir, epoch);
  file.write(records.map((r) => file.encode(r)));
  return file;
}

describe('the journal files', () => {
  it('read back the records of an epoch, and go on after them when resumed', () => {
    const dir = newDir();
    const file = written(dir, 4, [{ t: 'a', n: 1 }, { t: 'b', text: 'ünïcödé' }]);
    file.close();
    const first = readEpoch(dir, 4);
    expect(first.records).toEqual([{ t: 'a', n: 1 }, { t: 'b', text: 'ünïcödé' }]);
    const resumed = JournalFile.resume(dir, 4, first.end);
    resumed.write([resumed.encode({ t: 'c' })]);
    resumed.close();
    expect(readEpoch(dir, 4).records).toEqual([{ t: 'a', n: 1 }, { t: 'b', text: 'ünïcödé' }, { t: 'c' }]);
    // Epochs 4 and 6 share a file; 5 has the other one, empty.
    expect(readEpoch(dir, 5)).toEqual({ records: [], end: 0 });
  });

  it('stop at a torn record, at a changed byte, and at what an earlier epoch left in the file', () => {
    const dir = newDir();
    // Epoch 2 wrote three records; epoch 4 writes one over its start.
    written(dir, 2, [{ old: 1 }, { old: 2 }, { old: 3 }]).close();
    written(dir, 4, [{ new: 1 }]).close();
    expect(readEpoch(dir, 4).records).toEqual([{ new: 1 }]);

    const file = fileOf(dir, 4);
    const whole = encodeRecord(4, { new: 'two' });
    const end = readEpoch(dir, 4).end;
    const fd = fs.openSync(file, 'r+');
    // Half of a second record: a write cut by the crash.
    fs.writeSync(fd, whole, 0, whole.length - 3, end);
    expect(readEpoch(dir, 4).records).toEqual([{ new: 1 }]);
    // The whole record, then one byte of its payload changed.
    fs.writeSync(fd, whole, 0, whole.length, end);
    expect(readEpoch(dir, 4).records).toEqual([{ new: 1 }, { new: 'two' }]);
    fs.writeSync(fd, Buffer.from('X'), 0, 1, end + whole.length - 2);
    fs.closeSync(fd);
    expect(readEpoch(dir, 4).records).toEqual([{ new: 1 }]);
  });

  it('grow the file ahead of the writes, so that a write needs no new blocks', () => {
    const dir = newDir();
    const file = written(dir, 0, [{ n: 1 }]);
    const size = fs.statSync(fileOf(dir, 0)).size;
    expect(size).toBeGreaterThanOrEqual(4 * 1024 * 1024);
    file.write([file.encode({ n: 2 })]);
    expect(fs.statSync(fileOf(dir, 0)).size).toBe(size);
    file.close();
  });

  it('tell whether an epoch holds a record from its first one alone', () => {
    const dir = newDir();
    expect(holdsRecords(dir, 2)).toBe(false);
    // Grown with zeros and nothing written: no record.
    JournalFile.create(dir, 2).close();
    expect(holdsRecords(dir, 2)).toBe(false);
    written(dir, 2, [{ n: 1 }]).close();
    expect(holdsRecords(dir, 2)).toBe(true);
    // The same file read as epoch 4, which has not written over epoch 2's records yet.
    expect(holdsRecords(dir, 4)).toBe(false);
    // The first record torn: nothing to read back, whatever follows.
    const fd = fs.openSync(fileOf(dir, 2), 'r+');
    fs.writeSync(fd, Buffer.from('X'), 0, 1, 13);
    fs.closeSync(fd);
    expect(holdsRecords(dir, 2)).toBe(false);
    // A header torn into a length of nearly 4 GiB: no record, and nothing that size read.
    const header = Buffer.alloc(12);
    header.writeUInt32LE(0xfffffff0, 0);
    header.writeUInt32LE(2, 4);
    const torn = fs.openSync(fileOf(dir, 2), 'r+');
    fs.writeSync(torn, header, 0, 12, 0);
    fs.closeSync(torn);
    expect(holdsRecords(dir, 2)).toBe(false);
  });
});
