import { OAuthClient } from "helpdesk-oauth";
import { createInstallHandler, createCallbackHandler } from "helpdesk-oauth/handlers";
import { TokenDurableObject, durableObjectSession } from "helpdesk-oauth/workers";

const clientFor = (env) => new OAuthClient({
  provider: env.PROVIDER.startsWith("{") ? JSON.parse(env.PROVIDER) : env.PROVIDER, // "gorgias", or a ProviderConfig as JSON
  clientId: env.CLIENT_ID, clientSecret: env.CLIENT_SECRET,
  redirectUri: `${env.ORIGIN}/oauth/callback`, scopes: ["openid", "offline", "tickets:read"] });
// Each account's tokens in one Durable Object (wrangler.toml): one refresh at a time, for every isolate.
export class HelpdeskTokens extends TokenDurableObject { createClient(env) { return clientFor(env); } }

export default {
  async fetch(request, env) {
    const client = clientFor(env), cookieSecret = env.COOKIE_SECRET, { pathname, searchParams } = new URL(request.url);
    const session = (account) => durableObjectSession({ namespace: env.TOKENS, client, account });
    if (pathname === "/install") return createInstallHandler({ client, cookieSecret })(request); // the App URL
    if (pathname === "/oauth/callback") return createCallbackHandler({ client, cookieSecret, onTokens: async (tokens) => {
      await session(tokens.account).save(tokens);
      return Response.redirect(`${env.ORIGIN}/tickets?account=${tokens.account}`, 303); } })(request);
    // The API answer, passed on; the Durable Object refreshes the token when needed. A real app checks its user first.
    if (pathname === "/tickets") return session(searchParams.get("account")).fetch("/tickets?limit=10");
    return new Response("Not found", { status: 404 });
  },
};
