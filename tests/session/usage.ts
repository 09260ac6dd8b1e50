// Session API as an app writes it; compiled with tsc --strict by types.test.mjs. The lines after
// an expect-error directive must fail to compile.
import { OAuthClient, TokenSet, HelpdeskOAuthError } from "helpdesk-oauth";
import { MemoryTokenStore, createSession, Session } from "helpdesk-oauth/session";
import type { TokenStore, StoredTokenSet, TokenVersion, ErrorCode } from "helpdesk-oauth";
import type { SessionOptions } from "helpdesk-oauth/session";

declare const client: OAuthClient;
declare const tokens: TokenSet;

// A store over some database, with its own version type.
class RowStore implements TokenStore {
  rows = new Map<string, { value: string; version: number }>();
  get(key: string): StoredTokenSet | undefined {
    return this.rows.get(key);
  }
  async set(key: string, value: string, options?: { expectedVersion?: TokenVersion | null }): Promise<{ version: TokenVersion }> {
    const version = (this.rows.get(key)?.version ?? 0) + 1;
    if (options?.expectedVersion !== undefined && options.expectedVersion !== this.rows.get(key)?.version) throw new Error("conflict");
    this.rows.set(key, { value, version });
    return { version };
  }
  delete(key: string): boolean {
    return this.rows.delete(key);
  }
}

export async function main(signal: AbortSignal): Promise<number> {
  const options: SessionOptions = { client, store: new MemoryTokenStore(), account: "acme", skewSeconds: 120, retries: 2, maxRetryAfterSeconds: 20, now: () => Date.now(), sleep: async (_ms, _signal) => {} };
  const session: Session = createSession(options);
  const other = new Session({ client, store: new RowStore(), key: "gorgias:acme" });
  await session.save(tokens);
  const token: string = await session.accessToken({ signal });
  const res: Response = await session.fetch("/tickets?limit=1", { method: "GET", signal });
  const { revokedAtProvider }: { revokedAtProvider: boolean } = await other.revoke();
  const key: string = session.key;
  const size: number = new MemoryTokenStore().size;
  try {
    await session.accessToken();
  } catch (e) {
    if (e instanceof HelpdeskOAuthError) {
      const codes: ErrorCode[] = ["reauthorization_required", "token_store_conflict", "token_store_error", "aborted"];
      return codes.indexOf(e.code);
    }
  }
  // @ts-expect-error the store is required
  createSession({ client, account: "acme" });
  // @ts-expect-error a store value is a string
  await new MemoryTokenStore().set("k", tokens);
  // @ts-expect-error not an error code
  const bad: ErrorCode = "reauthorisation_required";
  return token.length + res.status + Number(revokedAtProvider) + key.length + size + bad.length;
}
