// The Worker used for workerd cold starts: esbuild bundles it with one library adapter, aliased
// as "bench-adapter". A request builds one authorize URL (randomness is only allowed in handlers).
import { create } from "bench-adapter";

const env = {
  account: "acme",
  clientId: "benchClient7f3a",
  clientSecret: "benchSecret0123456789abcdefABCDEF",
  redirectUri: "https://app.example.com/oauth/callback",
  scopes: ["openid", "email", "profile", "offline", "tickets:read"],
  issuer: "https://acme.gorgias.com",
  authorizeEndpoint: "https://acme.gorgias.com/oauth/authorize",
  tokenEndpoint: "https://acme.gorgias.com/oauth/token",
};

export default {
  async fetch() {
    const { url } = await create(env).authorize();
    return new Response(url);
  },
};
