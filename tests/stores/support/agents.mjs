// Spawns support/agent.mjs processes and talks to them: `send(cmd)` resolves to the agent's
// answer to that command; `kill()` sends SIGKILL.
import { spawn } from 'node:child_process';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';

const AGENT = fileURLToPath(new URL('./agent.mjs', import.meta.url));

export async function spawnAgent(config) {
  const child = spawn(process.execPath, [AGENT, JSON.stringify(config)], { stdio: ['pipe', 'pipe', 'pipe'], env: process.env });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const waiting = new Map();
  let nextId = 0;
  let onReady;
  const ready = new Promise((resolve, reject) => {
    onReady = resolve;
    child.once('exit', (code, signal) => reject(new Error(`agent exited (${code ?? signal}) before it was ready:\n${stderr}`)));
  });
  child.on('exit', (code, signal) => {
    for (const { reject } of waiting.values()) reject(new Error(`agent exited (${code ?? signal}):\n${stderr}`));
    waiting.clear();
  });
  readline.createInterface({ input: child.stdout }).on('line', (line) => {
    const msg = JSON.parse(line);
    if (msg.ready) return onReady();
    const w = waiting.get(msg.id);
    waiting.delete(msg.id);
    if (msg.failed) w?.reject(new Error(`agent: ${msg.failed.code}: ${msg.failed.message}`));
    else w?.resolve(msg);
  });
  await ready;
  const exited = new Promise((resolve) => (child.exitCode !== null ? resolve() : child.once('exit', resolve)));
  return {
    pid: child.pid,
    send(cmd) {
      const id = (nextId += 1);
      return new Promise((resolve, reject) => {
        waiting.set(id, { resolve, reject });
        child.stdin.write(`${JSON.stringify({ ...cmd, id })}\n`);
      });
    },
    async kill() {
      child.kill('SIGKILL');
      await exited;
    },
    async close() {
      if (child.exitCode === null && child.signalCode === null) {
        child.stdin.end();
        await exited;
      }
    },
  };
}
