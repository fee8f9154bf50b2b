// The push and attachment stores' shared checks (push-stores.suite.ts) on SQLite.
import fs from 'node:fs';
import { tempDir } from '../../../tests/helpers.js';
import { pushStoresSuite } from '../../../tests/push-stores-suite.js';
import { openSqliteRelayStores } from './relay-stores.js';

pushStoresSuite('SQLite', async () => {
  const dir = tempDir('warbler-push-stores-');
  const stores = openSqliteRelayStores(dir);
  return {
    stores,
    async close() {
      await stores.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
});
