// Compiled under tsc --strict by tests/stores/package.test.mjs against the built package.
import { createCallbackHandler, createSession, OAuthClient, MemoryTokenStore } from "helpdesk-oauth";
import type { TokenStore, StateStore, RefreshLease } from "helpdesk-oauth";
import { PostgresTokenStore, postgresSchema } from "helpdesk-oauth/postgres";
import type { PgQueryable } from "helpdesk-oauth/postgres";
import { RedisTokenStore } from "helpdesk-oauth/redis";
import type { IoRedisLike, NodeRedisLike } from "helpdesk-oauth/redis";
import { SealedTokenStore, sealedTokenStore, createTokenSealer } from "helpdesk-oauth/sealed";
import type { TokenSealer } from "helpdesk-oauth/sealed";

declare const pool: PgQueryable;
declare const ioredis: IoRedisLike;
declare const nodeRedis: NodeRedisLike;
declare const client: OAuthClient;

const pgStore = new PostgresTokenStore(pool, { prefix: "app.helpdesk_oauth", timeoutMs: 2000, leaseMs: 60000, leaseWaitMs: 61000 });
const sql: string = postgresSchema({ prefix: "helpdesk_oauth" });
const redisStore = new RedisTokenStore(ioredis, { prefix: "app:" });
const redisStore2 = new RedisTokenStore(nodeRedis);
const sealer: TokenSealer = createTokenSealer({ keys: { k1: new Uint8Array(32), k0: "base64url-key" }, currentKeyId: "k1" });
const sealed = new SealedTokenStore(pgStore, { keys: { k1: new Uint8Array(32) }, currentKeyId: "k1", readUnsealed: true });
const sealed2: TokenStore = sealedTokenStore(new MemoryTokenStore(), sealer);
const stores: TokenStore[] = [pgStore, redisStore, redisStore2, sealed, sealed2];
const states: StateStore[] = [pgStore, redisStore];

async function use(): Promise<void> {
  await pgStore.migrate();
  const lease: RefreshLease = await redisStore.acquireLease("gorgias:acme");
  await lease.release();
  const first: boolean = await pgStore.consumeState("ab".repeat(32), { expiresAt: Date.now() + 60_000 });
  const session = createSession({ client, store: sealed, account: "acme" });
  const handler = createCallbackHandler({ client, cookieSecret: "x".repeat(32), stateStore: redisStore, onTokens: (tokens) => session.save(tokens).then(() => undefined) });
  const version: string = (await pgStore.set("k", "v", { expectedVersion: null })).version;
  void [first, handler, version, sql, stores, states];
}
void use;
