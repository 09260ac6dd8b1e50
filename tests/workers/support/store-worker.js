// A Worker for tests/workers/*-store tests: it exposes the package's Workers parts one operation
// at a time (POST /{op} with a JSON body, JSON answer), so that the tests can drive the token
// Durable Object, the DurableObjectSession and KvTokenStore in workerd and look at the outcome.
// Errors come back as { error: { code, message, retryable } } with status 200: the tests assert
// on the code, not on HTTP.
import { OAuthClient, TokenSet } from "helpdesk-oauth";
import { createSession } from "helpdesk-oauth/session";
import { TokenDurableObject, KvTokenStore, durableObjectSession, durableObjectStateStore } from "helpdesk-oauth/workers";
import { SealedTokenStore, createTokenSealer } from "helpdesk-oauth/sealed";

const clients = new WeakMap();
function clientFor(env) {
  let client = clients.get(env);
  if (!client) {
    client = new OAuthClient({ provider: JSON.parse(env.PROVIDER), clientId: env.CLIENT_ID, clientSecret: env.CLIENT_SECRET, redirectUri: env.REDIRECT_URI, scopes: JSON.parse(env.SCOPES) });
    clients.set(env, client);
  }
  return client;
}

/**
 * Adds test-only doors to the object: how many keys its storage holds, its raw token value
 * (read and written as they are), and its clock (the injectable `now()`, moved by an offset).
 */
function withStorageCount(Base) {
  return class extends Base {
    clockOffsetMs = 0;

    now() {
      return Date.now() + this.clockOffsetMs;
    }

    async fetch(request) {
      const path = new URL(request.url).pathname;
      if (path === "/__stored") return Response.json({ keys: (await this.ctx.storage.list()).size });
      if (path === "/__raw") {
        const body = await request.json();
        if ("put" in body) await this.ctx.storage.put("tokens", body.put);
        return Response.json({ raw: (await this.ctx.storage.get("tokens")) ?? null });
      }
      if (path === "/__clock") {
        this.clockOffsetMs = (await request.json()).offsetMs;
        return Response.json({ now: this.now() });
      }
      return super.fetch(request);
    }
  };
}

export class Tokens extends withStorageCount(TokenDurableObject) {
  createClient(env) {
    return clientFor(env);
  }
}

/** The same, sealing its storage; the keys can be changed by a test (`/__sealing`), as an operator rotates them. */
export class SealedTokens extends Tokens {
  sealing = { keys: { k1: "MTExMTExMTExMTExMTExMTExMTExMTExMTExMTExMTE" }, currentKeyId: "k1" };

  createSealer() {
    return {
      seal: (value, context) => createTokenSealer(this.sealing).seal(value, context),
      open: (value, context) => createTokenSealer(this.sealing).open(value, context),
    };
  }

  async fetch(request) {
    if (new URL(request.url).pathname === "/__sealing") {
      this.sealing = await request.json();
      return Response.json({ ok: true });
    }
    return super.fetch(request);
  }
}

/** The same, with a client whose revocation endpoint does not answer (nothing listens there). */
export class DeadRevokeTokens extends withStorageCount(TokenDurableObject) {
  createClient(env) {
    const provider = { ...JSON.parse(env.PROVIDER), revokeUrl: env.DEAD_URL };
    return new OAuthClient({ provider, clientId: env.CLIENT_ID, clientSecret: env.CLIENT_SECRET, redirectUri: env.REDIRECT_URI, scopes: JSON.parse(env.SCOPES), timeoutMs: 3000 });
  }
}

/** The same, with a client whose token endpoint answers 5xx with an invalid_grant body (FAULT_URL). */
export class FaultyRefreshTokens extends withStorageCount(TokenDurableObject) {
  createClient(env) {
    const provider = { ...JSON.parse(env.PROVIDER), tokenUrl: env.FAULT_URL };
    return new OAuthClient({ provider, clientId: env.CLIENT_ID, clientSecret: env.CLIENT_SECRET, redirectUri: env.REDIRECT_URI, scopes: JSON.parse(env.SCOPES), timeoutMs: 3000 });
  }
}

function objectFor(env, body) {
  const ns = env[body.namespace ?? "TOKENS"];
  return ns.get(ns.idFromName(`${clientFor(env).provider.id}:${body.account}`));
}

async function objectHook(env, body, path, payload) {
  const res = await objectFor(env, body).fetch(`https://object.invalid${path}`, { method: "POST", body: JSON.stringify(payload ?? {}) });
  return res.json();
}

const sealedKv = (env, sealing) => new SealedTokenStore(new KvTokenStore(env.TOKENS_KV), sealing);

function doSession(env, body, options = {}) {
  return durableObjectSession({ namespace: env[body.namespace ?? "TOKENS"], client: clientFor(env), account: body.account, ...options });
}

async function advanceClock(env, ms) {
  const res = await fetch(`${env.CLOCK_URL}/advance?ms=${ms}`, { method: "POST" });
  await res.arrayBuffer();
}

/**
 * The sleep given to a DurableObjectSession: records each wait, sleeps no real time, and then
 * `advance` moves the provider emulator's clock by the wait (so the retry fits its rate limit),
 * `none` leaves it, `abort` aborts the request's signal and then, ignoring the abort, finishes
 * only after a round trip to the clock server (so "the wait ended first" is an observable order).
 * `events` records when each sleep ended; `pending` holds the sleeps still running.
 */
function testSleep(env, mode, controller, sleeps, events, pending) {
  return (ms, signal) => {
    sleeps.push({ ms, gotSignal: signal === controller.signal });
    const run = (async () => {
      if (mode === "advance") await advanceClock(env, ms);
      else if (mode === "abort") {
        controller.abort();
        await advanceClock(env, 0);
      }
      events.push("sleep ended");
    })();
    pending.push(run);
    return run;
  };
}

/**
 * A Session over KV whose refresh, once the provider has answered, lets "another isolate" act on
 * the same key first: `save` stores another grant (as a reinstall would), `delete` removes the
 * entry. The refresh itself is the real one, at the provider.
 */
function racingClient(client, store, key, race) {
  return {
    get provider() {
      return client.provider;
    },
    apiUrl: (path, account) => client.apiUrl(path, account),
    revoke: (tokens) => client.revoke(tokens),
    async refresh(tokens) {
      const next = await client.refresh(tokens);
      if (race.mode === "save") await store.set(key, race.value);
      else if (race.mode === "delete") await store.delete(key);
      return next;
    },
  };
}

const ops = {
  async "do-save"(env, body) {
    await doSession(env, body).save(TokenSet.fromJSON(body.value));
    return { saved: true };
  },
  async "do-token"(env, body) {
    return { accessToken: await doSession(env, body).accessToken() };
  },
  "do-revoke": (env, body) => doSession(env, body).revoke(),
  async "do-delete"(env, body) {
    return { deleted: await doSession(env, body).delete() };
  },
  async "do-stored"(env, body) {
    const ns = env[body.namespace ?? "TOKENS"];
    const res = await ns.get(ns.idFromName(`${clientFor(env).provider.id}:${body.account}`)).fetch("https://object.invalid/__stored");
    return res.json();
  },
  async "do-fetch"(env, body) {
    const controller = new AbortController();
    const sleeps = [];
    const events = [];
    const pending = [];
    const session = doSession(env, body, { ...body.options, sleep: testSleep(env, body.sleep ?? "none", controller, sleeps, events, pending) });
    let answer;
    try {
      const res = await session.fetch(body.path, { signal: controller.signal, headers: { accept: "application/json" } });
      answer = { status: res.status, retryAfter: res.headers.get("retry-after"), body: await res.json() };
    } catch (err) {
      answer = { error: { code: err.code, message: err.message } };
    }
    events.push("fetch settled");
    await Promise.all(pending);
    return { ...answer, sleeps, events };
  },
  async "do-options"(env, body) {
    doSession(env, body, body.options);
    return { accepted: true };
  },
  "do-info": (env, body) => doSession(env, body).info(),
  "do-raw": (env, body) => objectHook(env, body, "/__raw", body.put === undefined ? {} : { put: body.put }),
  "do-clock": (env, body) => objectHook(env, body, "/__clock", { offsetMs: body.offsetMs }),
  "do-sealing": (env, body) => objectHook(env, body, "/__sealing", body.sealing),
  async "do-consume-state"(env, body) {
    const store = durableObjectStateStore(env[body.namespace ?? "TOKENS"]);
    return { first: await store.consumeState(body.id, { expiresAt: body.expiresAt, provider: clientFor(env).provider.id, account: body.account }) };
  },
  "kv-sealed-set": (env, body) => sealedKv(env, body.sealing).set(body.key, body.value, body.options),
  async "kv-sealed-get"(env, body) {
    return { entry: (await sealedKv(env, body.sealing).get(body.key)) ?? null };
  },
  async "kv-get"(env, body) {
    return { entry: (await new KvTokenStore(env.TOKENS_KV).get(body.key)) ?? null };
  },
  "kv-set": (env, body) => new KvTokenStore(env.TOKENS_KV).set(body.key, body.value, body.options),
  async "kv-delete"(env, body) {
    return { deleted: await new KvTokenStore(env.TOKENS_KV).delete(body.key, body.options) };
  },
  /** Two writers that both read `expectedVersion` and write at once, as two isolates could. */
  async "kv-set-twice"(env, body) {
    const store = new KvTokenStore(env.TOKENS_KV);
    const results = await Promise.allSettled(body.values.map((value) => store.set(body.key, value, { expectedVersion: body.expectedVersion })));
    return { results: results.map((r) => (r.status === "fulfilled" ? { version: r.value.version } : { error: r.reason.code })) };
  },
  async "kv-raw-put"(env, body) {
    await env.TOKENS_KV.put(body.key, body.raw);
    return { put: true };
  },
  async "kv-raw-get"(env, body) {
    return { raw: await env.TOKENS_KV.get(body.key) };
  },
  /** A Session over KvTokenStore refreshes while another writer acts (see racingClient). */
  async "kv-session-race"(env, body) {
    const store = new KvTokenStore(env.TOKENS_KV);
    const client = clientFor(env);
    const key = `${client.provider.id}:${body.account}`;
    await store.set(key, body.value);
    const session = createSession({ client: racingClient(client, store, key, body.race), store, account: body.account });
    const accessToken = await session.accessToken();
    const entry = await store.get(key);
    return { accessToken, stored: entry ? JSON.parse(TokenSet.fromJSON(entry.value).serialize()) : null };
  },
};

export default {
  async fetch(request, env) {
    const op = ops[new URL(request.url).pathname.slice(1)];
    if (!op || request.method !== "POST") return new Response("Not found", { status: 404 });
    const body = await request.json();
    try {
      return Response.json(await op(env, body));
    } catch (err) {
      if (typeof err?.code !== "string") throw err;
      return Response.json({ error: { code: err.code, message: err.message, retryable: err.retryable } });
    }
  },
};
