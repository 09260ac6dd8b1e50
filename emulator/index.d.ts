// Types of helpdesk-oauth/emulator (Node only).
import type { ProviderConfig } from "../index.js";

/**
 * Gorgias and Kustomer (per-account hosts or /{provider}/{account}/ paths), and the flavours in
 * emulator/flavours/ (path routing: /{provider}/{tenant}/ followed by the provider's own paths,
 * its other hosts as path prefixes; `providerConfig` knows them).
 */
export type EmulatedProvider = "gorgias" | "kustomer" | "zendesk" | "front" | "helpscout" | "zoho" | "hubspot" | "intercom";

export interface RegisteredApp {
  /** Registered at this provider only; omitted: at every one. */
  provider?: EmulatedProvider;
  /** Shown on the consent page (default: the client id). */
  name?: string;
  clientId: string;
  clientSecret: string;
  /** Compared with the request's redirect_uri as exact strings. */
  redirectUris: string[];
}

/** An API key the Kustomer app-registration endpoints accept, and the org it belongs to. */
export interface KustomerApiKey {
  /** 8 or more printable characters without spaces (sent as `Authorization: Bearer KEY`). */
  key: string;
  /** One DNS label; registered apps are named `{app}_{org}`. */
  org: string;
}

export interface RateLimit {
  capacity: number;
  windowSeconds: number;
}

export interface EmulatorOptions {
  apps?: RegisteredApp[];
  /** Shorthand for one app registered at every provider. */
  clientId?: string;
  clientSecret?: string;
  redirectUris?: string[];
  /** Default 0 (any free port). */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** auto (default): `{account}.{provider}.{hostSuffix}` hosts, else `/{provider}/{account}/...` paths. */
  routing?: "auto" | "host" | "path";
  /** Default "localhost" (browsers resolve *.localhost to the loopback address). */
  hostSuffix?: string;
  /** Approve every valid authorize request without showing the consent page. */
  autoApprove?: boolean;
  /** Access-token lifetime in seconds (default 86400 for Gorgias and Kustomer; the flavours default to their provider's: Zendesk 1800 or the requested `expires_in`). */
  expiresIn?: number;
  /** Authorization-code lifetime in seconds (default 60). */
  codeTtlSeconds?: number;
  /**
   * A code redeemed twice revokes the tokens issued for it (RFC 6749 §4.1.2), and a rotated
   * (Kustomer) refresh token presented again revokes the whole grant (RFC 9700 §4.14.2), as a
   * strict provider does. Default false: a reused code or rotated token is only refused.
   */
  reuseDetection?: boolean;
  /** Per provider; `false` turns a limit off. Default: Gorgias 80 / 20 s, the others none. Each answers 429 its provider's way (Zendesk `Retry-After`). */
  rateLimit?: Partial<Record<EmulatedProvider, RateLimit | false>>;
  /** The emulator's clock in ms (default Date.now). */
  now?: () => number;
  /** The data centre of the Zoho user who consents (us, eu, in, au, jp, cn, ca, sa, uk; default us): named in the callback's `accounts-server`, where the code must be redeemed. */
  zohoDataCentre?: "us" | "eu" | "in" | "au" | "jp" | "cn" | "ca" | "sa" | "uk";
  /** Kustomer API keys for app registration (POST /v1/apps/available, /v1/apps/available/{app}/secret; emulator/kustomer-apps.mjs). */
  kustomerApiKeys?: KustomerApiKey[];
  /**
   * Called with one line per refused request (bad redirect_uri, unknown scope, bad client
   * authentication, invalid token, ...): method, path (no query), status, error and why. Never
   * holds a secret, token or code. Default: nothing is logged; the emulator commands log to stderr.
   */
  log?: (line: string) => void;
}

/** What tests read and steer. Faults apply to the next request only. */
export interface EmulatorState {
  nextAuthorizeError: string | null;
  /**
   * `hang`: never answers, does nothing. `hold`: parked until `releaseHeld()`, then served;
   * dropped unserved if the client goes away first. `drop_answer`: the grant is carried out (a refresh
   * rotates) but no answer is sent.
   */
  nextTokenFault: "html500" | "html502" | "malformed" | "invalid_grant" | "hang" | "hold" | "drop_answer" | null;
  /** Providers that renew a refresh token lazily (Front): the next refresh returns a new one and kills the old. */
  rotateNextRefresh: boolean;
  authorizeRequests: number;
  consentPagesShown: number;
  lastConsentDecision: "approve" | "deny" | null;
  tokenRequests: number;
  refreshRequests: number;
  /** Token requests with grant_type=authorization_code (code exchanges). */
  codeRequests: number;
  /** Rotated refresh tokens presented again while reuseDetection is on (each revoked its grant). */
  refreshReuse: number;
  /** Codes redeemed a second time while reuseDetection is on (each revoked its tokens). */
  codeReuse: number;
  /** Token requests parked by `hold`, not yet released, whose client is still connected. */
  held: number;
  revokeRequests: number;
  apiRequests: number;
  rateLimited: number;
  lastAuthorizeRequest: { provider: EmulatedProvider; account: string; params: Record<string, string> } | null;
  lastTokenRequest: { provider: EmulatedProvider; account: string; headers: Record<string, string | string[] | undefined>; params: Record<string, string>; rawBody: string } | null;
  lastRevokeRequest: { provider: EmulatedProvider; account: string; headers: Record<string, string | string[] | undefined>; params: Record<string, string> } | null;
  issued: { codes: string[]; accessTokens: string[]; refreshTokens: string[]; idTokens: string[] };
}

export interface Emulator {
  /** e.g. http://127.0.0.1:4010 */
  readonly url: string;
  readonly port: number;
  readonly apps: RegisteredApp[];
  readonly state: EmulatorState;
  autoApprove: boolean;
  /** Serves the token requests parked by the `hold` fault (one whose client went away is dropped); returns how many were served. */
  releaseHeld(): number;
  /** A ProviderConfig for `new OAuthClient({ provider })` pointing the preset at this emulator. `account`: the tenant segment for providers with one global host (default `acme`). */
  providerConfig(provider: EmulatedProvider, options?: { routing?: "path" | "host"; hostSuffix?: string; account?: string }): ProviderConfig;
  close(): Promise<void>;
}

/**
 * Starts the emulator. When the port is taken it rejects with an Error whose `code` is
 * `"EADDRINUSE"` (or `"EACCES"`), with `port` and `host`, and a message naming the port.
 */
export function startEmulator(options?: EmulatorOptions): Promise<Emulator>;

/**
 * The `helpdesk-oauth login` command that works against this emulator for each registered app
 * (with `--port` for its loopback redirect URI), or why an app cannot log in with the CLI.
 */
export function loginCommands(
  emulator: Pick<Emulator, "url" | "apps">,
  options?: { accounts?: Partial<Record<EmulatedProvider, string>> },
): string[];

export function providerConfig(
  baseUrl: string,
  provider: EmulatedProvider,
  options?: { routing?: "path" | "host"; hostSuffix?: string; account?: string },
): ProviderConfig;

/** Reads and checks an apps file ({ apps: RegisteredApp[], kustomerApiKeys?, port?, autoApprove?, ... }). */
export function loadConfigFile(path: string): EmulatorOptions & { apps: RegisteredApp[] };

export class EmulatorConfigError extends Error {
  readonly name: "EmulatorConfigError";
}

/** One flag as `node:util` parseArgs takes it. */
export interface EmulatorFlag {
  type: "string" | "boolean";
  multiple?: boolean;
  short?: string;
}

/** The emulator's command-line flags, as `node:util` parseArgs options (shared by both bins). */
export const emulatorFlags: Readonly<Record<keyof EmulatorFlagValues, EmulatorFlag>>;

/** The flags' help text (one option per line, indented), for a command's usage. */
export const emulatorFlagsHelp: string;

/** `helpdesk-oauth-emulator --help`: the usage line, a summary and emulatorFlagsHelp. */
export const emulatorUsage: string;

/** Parsed flag values, named as on the command line (what parseArgs returns for emulatorFlags). */
export interface EmulatorFlagValues {
  /** Path of an apps file (see loadConfigFile); flags win over it. */
  config?: string;
  port?: string;
  host?: string;
  "client-id"?: string;
  "client-secret"?: string;
  "redirect-uri"?: string[];
  provider?: string;
  name?: string;
  routing?: string;
  "host-suffix"?: string;
  "auto-approve"?: boolean;
  "expires-in"?: string;
  "code-ttl"?: string;
  "kustomer-api-key"?: string;
  "kustomer-org"?: string;
  help?: boolean;
}

/** startEmulator options from flags: always an apps list and a port (default 4010). */
export type EmulatorFlagOptions = EmulatorOptions & { apps: RegisteredApp[]; port: number };

/**
 * Flag values (and the apps file `config` names) to startEmulator options. Throws
 * EmulatorConfigError naming the flag or field (never quoting a secret).
 * `newKustomerApiKey` makes a key when neither the flags nor the file hold one.
 */
export function emulatorOptionsFromFlags(
  values: EmulatorFlagValues,
  options?: { newKustomerApiKey?: () => string },
): EmulatorFlagOptions;

/** Command-line arguments (e.g. `process.argv.slice(2)`) to startEmulator options; null for --help. */
export function parseEmulatorArgs(
  argv: readonly string[],
  options?: { newKustomerApiKey?: () => string },
): EmulatorFlagOptions | null;

/** Opens the authorize URL, answers the consent form, and returns the callback URL the provider redirects to. */
export function answerConsent(
  authorizeUrl: string,
  options?: { decision?: "approve" | "deny"; fetch?: typeof fetch },
): Promise<string>;
