// The PostgreSQL stores: the suite every back end passes, on a database of this file's own.
import { postgresForTests } from '../../../tests/postgres-nodes.js';
import { relayStoresSuite } from '../../../tests/relay-stores-suite.js';
import { openPostgresCoreStores } from './relay-stores.js';

const postgres = postgresForTests();

relayStoresSuite('PostgreSQL', async () => {
  await postgres.empty();
  return openPostgresCoreStores(await postgres.node());
});
