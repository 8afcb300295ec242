/**
 * Test fixtures (tables, functions, policies a test file creates) live in their own schema, never in
 * `public` or `private`: the lint test checks exactly the product's objects there, and no fixture
 * can race with it. The test stack exposes this schema to the API (REST reaches it with
 * `Accept-Profile` / `Content-Profile`, or supabase-js's `db.schema`); config.toml is not changed.
 */
export const FIXTURE_SCHEMA = 'test_fixtures';

/**
 * Creates the schema with the grants Supabase gives `public` (reachable by the API roles; RLS is
 * the only gate), so a fixture behaves as the same object in `public` would.
 */
export const CREATE_FIXTURE_SCHEMA = `
create schema if not exists ${FIXTURE_SCHEMA};
comment on schema ${FIXTURE_SCHEMA} is 'Objects the test suite creates; never part of the product.';
grant usage on schema ${FIXTURE_SCHEMA} to anon, authenticated, service_role;
alter default privileges in schema ${FIXTURE_SCHEMA} grant all on tables to anon, authenticated, service_role;
alter default privileges in schema ${FIXTURE_SCHEMA} grant all on functions to anon, authenticated, service_role;
alter default privileges in schema ${FIXTURE_SCHEMA} grant all on sequences to anon, authenticated, service_role;
`;
