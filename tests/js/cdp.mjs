// Headless Chromium driven over the Chrome DevTools Protocol with Node's WebSocket (no npm
// dependency), shared by the browser tests (browser.test.mjs, csp.test.mjs).
//
// Started as the machine's probe does, with the background-networking flags: without them
// Chromium keeps calling out of a closed network.

import { spawn } from "node:child_process";

/** Starts Chromium in its own process group; resolves to its DevTools WebSocket URL. */
export function launch(chromium, profile) {
  const chrome = spawn(
    chromium,
    [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      `--user-data-dir=${profile}`,
      "--remote-debugging-port=0",
      "about:blank",
    ],
    { stdio: ["ignore", "ignore", "pipe"], detached: true },
  );
  const exited = new Promise((resolve) => chrome.once("exit", resolve));
  const endpoint = new Promise((resolve, reject) => {
    let stderr = "";
    const timer = setTimeout(() => reject(new Error(`Chromium did not start in 30 s:\n${stderr}`)), 30_000);
    chrome.stderr.on("data", (chunk) => {
      stderr += chunk;
      const match = stderr.match(/DevTools listening on (ws:\/\/\S+)/);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    chrome.once("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    chrome.once("exit", (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`Chromium exited (${code ?? signal}) before DevTools was ready:\n${stderr}`));
    });
  });
  const kill = async () => {
    if (chrome.exitCode === null && chrome.signalCode === null) {
      try {
        process.kill(-chrome.pid, "SIGKILL"); // the browser and its child processes
      } catch {
        chrome.kill("SIGKILL");
      }
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
    }
  };
  return { endpoint, kill };
}

/** A minimal DevTools Protocol client over the browser's WebSocket. */
export async function connect(url) {
  const ws = new WebSocket(url);
  await new Promise((resolve, reject) => {
    ws.addEventListener("open", resolve, { once: true });
    ws.addEventListener("error", () => reject(new Error(`cannot connect to ${url}`)), { once: true });
  });
  let next = 0;
  const pending = new Map();
  const listeners = new Set();
  ws.addEventListener("message", (event) => {
    const message = JSON.parse(event.data);
    if (message.method) for (const l of [...listeners]) if (l.method === message.method) l.fn(message.params);
    const waiter = message.id && pending.get(message.id);
    if (!waiter) return;
    pending.delete(message.id);
    if (message.error) waiter.reject(new Error(`${waiter.method}: ${JSON.stringify(message.error)}`));
    else waiter.resolve(message.result);
  });
  ws.addEventListener("close", () => {
    for (const waiter of pending.values()) waiter.reject(new Error("DevTools connection closed"));
    pending.clear();
  });
  const send = (method, params = {}, sessionId) =>
    new Promise((resolve, reject) => {
      const id = ++next;
      pending.set(id, { resolve, reject, method });
      ws.send(JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) }));
    });
  const on = (method, fn) => {
    const listener = { method, fn };
    listeners.add(listener);
    return () => listeners.delete(listener);
  };
  const once = (method, ms = 30_000) =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        off();
        reject(new Error(`no ${method} in ${ms / 1000} s`));
      }, ms);
      const off = on(method, (params) => {
        clearTimeout(timer);
        off();
        resolve(params);
      });
    });
  return { send, on, once, close: () => ws.close() };
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export async function until(check, what, ms = 20_000) {
  const end = Date.now() + ms;
  let last;
  while (Date.now() < end) {
    last = await check();
    if (last) return last;
    await sleep(50);
  }
  throw new Error(`timed out waiting for ${what} (last: ${JSON.stringify(last)})`);
}
