// Behaviour every FileSystem backend must share, as a vitest suite the backend tests run.
import { describe, expect, it } from 'vitest';
import { FsError, type FileSystem } from './file-system';

const bytes = (...values: number[]) => new Uint8Array(values);

async function expectFsError(promise: Promise<unknown>, code: string): Promise<void> {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(FsError);
  expect((error as FsError).code).toBe(code);
}

export function describeBackendConformance(name: string, makeFs: () => Promise<FileSystem>): void {
  describe(`${name}: FileSystem conformance`, () => {
    it('writes, appends, reads, truncates and stats files', async () => {
      const fs = await makeFs();
      await fs.writeFile('a', bytes(1, 2));
      await fs.appendFile('a', bytes(3));
      await fs.appendFile('b', bytes(9));
      expect(await fs.readFile('a')).toEqual(bytes(1, 2, 3));
      expect(await fs.readFile('b')).toEqual(bytes(9));
      await fs.truncate('a', 1);
      expect(await fs.readFile('a')).toEqual(bytes(1));
      expect(await fs.stat('a')).toEqual({ kind: 'file', size: 1 });
      await fs.writeFile('a', bytes(7, 7, 7, 7));
      expect(await fs.readFile('a')).toEqual(bytes(7, 7, 7, 7));
      await fs.fsync('a');
    });

    it('keeps folders, lists names sorted, and refuses files without a parent', async () => {
      const fs = await makeFs();
      await fs.mkdir('d');
      await fs.mkdir('x/y/z', { recursive: true });
      await fs.writeFile('d/b', bytes(1));
      await fs.writeFile('d/a', bytes(2));
      expect(await fs.list('d')).toEqual(['a', 'b']);
      expect(await fs.list('')).toEqual(['d', 'x']);
      expect(await fs.stat('x/y')).toEqual({ kind: 'dir', size: 0 });
      expect(await fs.exists('x/y/z')).toBe(true);
      expect(await fs.exists('nope')).toBe(false);
      await expectFsError(fs.writeFile('missing/f', bytes(1)), 'ENOENT');
      await expectFsError(fs.mkdir('d'), 'EEXIST');
      await expectFsError(fs.readFile('nope'), 'ENOENT');
      await fs.fsyncDir('d');
      await fs.fsyncDir('');
    });

    it('renames files over existing ones and moves folders with their content', async () => {
      const fs = await makeFs();
      await fs.writeFile('old', bytes(1));
      await fs.writeFile('new', bytes(2));
      await fs.rename('old', 'new');
      expect(await fs.exists('old')).toBe(false);
      expect(await fs.readFile('new')).toEqual(bytes(1));
      await fs.mkdir('dir');
      await fs.writeFile('dir/f', bytes(5));
      await fs.rename('dir', 'moved');
      expect(await fs.readFile('moved/f')).toEqual(bytes(5));
      expect(await fs.exists('dir')).toBe(false);
    });

    it('removes files and folders (a full folder only when recursive)', async () => {
      const fs = await makeFs();
      await fs.mkdir('d');
      await fs.writeFile('d/f', bytes(1));
      await expectFsError(fs.remove('d'), 'ENOTEMPTY');
      await fs.remove('d', { recursive: true });
      expect(await fs.exists('d')).toBe(false);
      await expectFsError(fs.remove('d'), 'ENOENT');
    });

    it('returns copies: changing a read buffer does not change the file', async () => {
      const fs = await makeFs();
      const data = bytes(1, 2, 3);
      await fs.writeFile('f', data);
      data[0] = 9;
      const read = await fs.readFile('f');
      read[1] = 9;
      expect(await fs.readFile('f')).toEqual(bytes(1, 2, 3));
    });
  });
}
