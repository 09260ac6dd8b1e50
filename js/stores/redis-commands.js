// One way to send a Redis command through either client an app may have: node-redis (v5 and
// later: `createClient()`, `sendCommand([...])`) or ioredis (`new Redis()`, `call(...)`), and to
// run the stores' Lua scripts by their SHA-1 (EVALSHA, loading them with EVAL when the server
// does not know them yet, e.g. after a restart).
import { invalidConfig } from "./bounded.mjs";

/** (args: string[]) => Promise<reply> for the client given. */
export function commandSender(client) {
  if (client && typeof client.call === "function" && typeof client.status === "string") {
    return (args) => client.call(...args); // ioredis (Redis, Cluster)
  }
  if (client && typeof client.sendCommand === "function" && typeof client.call !== "function") {
    return (args) => client.sendCommand(args); // node-redis
  }
  throw invalidConfig("RedisTokenStore needs a node-redis client (createClient()) or an ioredis client (new Redis())");
}

const isNoScript = (err) => typeof err?.message === "string" && err.message.startsWith("NOSCRIPT");

async function sha1Hex(text) {
  const digest = await crypto.subtle.digest("SHA-1", new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}

/** A Lua script run with EVALSHA, falling back to EVAL once when the server lacks it. */
export function script(source) {
  let sha;
  return async (send, keys, args) => {
    sha ??= await sha1Hex(source);
    const tail = [String(keys.length), ...keys, ...args.map(String)];
    try {
      return await send(["EVALSHA", sha, ...tail]);
    } catch (err) {
      if (!isNoScript(err)) throw err;
      return send(["EVAL", source, ...tail]);
    }
  };
}

/** Whether a reply error says the key holds another type than the store writes. */
export const isWrongType = (err) => typeof err?.message === "string" && err.message.includes("WRONGTYPE");
