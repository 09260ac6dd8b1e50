// Typed use of DurableObjectSession's 429 options (checked by ../session-options-types.test.mjs).
import type { OAuthClient } from "helpdesk-oauth";
import { durableObjectSession, type DurableObjectNamespaceLike, type DurableObjectSessionOptions } from "helpdesk-oauth/workers";

declare const client: OAuthClient;
declare const namespace: DurableObjectNamespaceLike;

const options: DurableObjectSessionOptions = {
  namespace,
  client,
  account: "acme",
  maxRetryAfterSeconds: 30,
  retries: 2,
  now: () => Date.now(),
  sleep: (ms: number, signal?: AbortSignal) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      signal?.addEventListener("abort", () => clearTimeout(timer), { once: true });
    }),
};

export async function call(): Promise<number> {
  const session = durableObjectSession(options);
  const controller = new AbortController();
  const token: string = await session.accessToken({ signal: controller.signal });
  const res = await session.fetch("/account", { signal: controller.signal, headers: { accept: "application/json" } });
  return token.length + res.status;
}
