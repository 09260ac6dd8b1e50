// One way to send a Redis command through either client an app may have: node-redis (v5 and
// later: `createClient()`, `sendCommand([...])`) or ioredis (`new Redis()`, `call(...)`), and to
// run the stores' Lua scripts by their SHA-1 (EVALSHA, loading them with EVAL when the server
// does not know them yet, e.g. after a restart).
import { invalidConfig } from "./bounded.mjs";

// ioredis states in which a command would be queued until a reconnection that may never come.
const IOREDIS_DOWN = new Set(["reconnecting", "close", "end"]);

/**
 * (args: string[]) => Promise<reply> for the client given. While the client knows its connection
 * is down, commands fail at once instead of joining the client's offline queue: a write queued
 * now would land whenever the server is back, long after we told the caller it failed.
 */
export function commandSender(client) {
  if (client && typeof client.call === "function" && typeof client.status === "string") {
    return (args) => (IOREDIS_DOWN.has(client.status) ? Promise.reject(new Error(`the ioredis client is ${client.status}`)) : client.call(...args));
  }
  if (client && typeof client.sendCommand === "function" && typeof client.call !== "function") {
    // node-redis: isOpen while connected or reconnecting, isReady only while connected.
    return (args) => (client.isOpen === true && client.isReady === false ? Promise.reject(new Error("the node-redis client is reconnecting")) : client.sendCommand(args));
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
