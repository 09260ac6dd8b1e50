// Compiled under tsc --strict by tests/stores/package.test.mjs against the built package.
import { OAuthClient } from "helpdesk-oauth";
import { createSession, MemoryTokenStore } from "helpdesk-oauth/session";
import { createCallbackHandler } from "helpdesk-oauth/handlers";
import type { TokenStore, StateStore, RefreshLease } from "helpdesk-oauth";
import { PostgresTokenStore, postgresSchema } from "helpdesk-oauth/postgres";
import type { PgQueryable } from "helpdesk-oauth/postgres";
import { RedisTokenStore } from "helpdesk-oauth/redis";
import type { IoRedisLike, NodeRedisLike } from "helpdesk-oauth/redis";
import { SealedTokenStore, sealedTokenStore, createTokenSealer } from "helpdesk-oauth/sealed";
import type { TokenSealer } from "helpdesk-oauth/sealed";
import { TokenDurableObject, durableObjectStateStore, listInstalledAccounts, durableObjectSession } from "helpdesk-oauth/workers";
import type { DurableObjectNamespaceLike, InstalledAccount, InstalledAccountInfo } from "helpdesk-oauth/workers";

interface Env {
  TOKENS: DurableObjectNamespaceLike;
}
class Tokens extends TokenDurableObject<Env> {
  createClient(_env: Env): OAuthClient {
    return client;
  }
  createSealer(_env: Env): TokenSealer {
    return createTokenSealer({ keys: { k1: new Uint8Array(32) }, currentKeyId: "k1" });
  }
  accountIndex(env: Env): DurableObjectNamespaceLike {
    return env.TOKENS;
  }
  now(): number {
    return Date.now() + 1000;
  }
}
async function workers(env: Env): Promise<void> {
  const page = await listInstalledAccounts(env.TOKENS, { limit: 100 });
  const first: InstalledAccount | undefined = page.accounts[0];
  const next: string | null = page.next;
  const info: InstalledAccountInfo = await durableObjectSession({ namespace: env.TOKENS, client, account: "acme" }).info();
  if (info.installed) {
    const expiresAt: number | null = info.expiresAt;
    void expiresAt;
  }
  const handler = createCallbackHandler({ client, cookieSecret: "x".repeat(32), stateStore: durableObjectStateStore(env.TOKENS), onTokens: () => undefined });
  void [first, next, handler, Tokens];
}
void workers;

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
