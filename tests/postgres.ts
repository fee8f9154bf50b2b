// Tests take their PostgreSQL databases where the cluster bench does.
export { freshPostgres } from '../bench/postgres.js';
