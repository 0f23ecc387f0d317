/**
 * A minimal LSP client over stdio for the benchmark: JSON-RPC framing, requests, notifications,
 * answers to the server's requests, waiting for publishDiagnostics, and the server's memory
 * from /proc (Linux).
 */
'use strict';

const { spawn } = require('node:child_process');
const fs = require('node:fs');

class LspClient {
  /**
   * @param {string} command
   * @param {string[]} args
   * @param {{ cwd?: string, onRequest?: (method: string, params: any) => any, log?: (line: string) => void }} [opts]
   */
  constructor(command, args, opts = {}) {
    this.proc = spawn(command, args, { cwd: opts.cwd, stdio: ['pipe', 'pipe', 'pipe'] });
    this.onRequest = opts.onRequest ?? (() => null);
    this.nextId = 1;
    /** @type {Map<number, { resolve: (v: any) => void, reject: (e: any) => void }>} */
    this.pending = new Map();
    /** @type {{ method: string, params: any, at: number }[]} */
    this.notifications = [];
    /** @type {((n: { method: string, params: any, at: number }) => void)[]} */
    this.listeners = [];
    this.stderr = '';
    this.exited = false;
    this.buffer = Buffer.alloc(0);
    this.proc.stdout.on('data', (d) => this.onData(d));
    this.proc.stderr.on('data', (d) => {
      this.stderr += d.toString();
      if (this.stderr.length > 100_000) this.stderr = this.stderr.slice(-50_000);
    });
    this.proc.on('exit', () => {
      this.exited = true;
      for (const p of this.pending.values()) p.reject(new Error(`server exited: ${this.stderr.slice(-2000)}`));
      this.pending.clear();
    });
  }

  get pid() {
    return this.proc.pid;
  }

  send(msg) {
    const s = JSON.stringify({ jsonrpc: '2.0', ...msg });
    this.proc.stdin.write(`Content-Length: ${Buffer.byteLength(s)}\r\n\r\n${s}`);
  }

  request(method, params) {
    const id = this.nextId++;
    const p = new Promise((resolve, reject) => this.pending.set(id, { resolve, reject }));
    this.send({ id, method, params });
    return { id, response: p };
  }

  notify(method, params) {
    this.send({ method, params });
  }

  onData(d) {
    this.buffer = Buffer.concat([this.buffer, d]);
    for (;;) {
      const head = this.buffer.indexOf('\r\n\r\n');
      if (head === -1) return;
      const m = /Content-Length: (\d+)/i.exec(this.buffer.subarray(0, head).toString());
      if (!m) throw new Error('bad header from server');
      const len = Number(m[1]);
      if (this.buffer.length < head + 4 + len) return;
      const body = this.buffer.subarray(head + 4, head + 4 + len).toString('utf8');
      this.buffer = this.buffer.subarray(head + 4 + len);
      this.dispatch(JSON.parse(body));
    }
  }

  dispatch(msg) {
    const at = performance.now();
    if (msg.id !== undefined && msg.method === undefined) {
      const p = this.pending.get(msg.id);
      if (p) {
        this.pending.delete(msg.id);
        p.resolve(msg);
      }
      return;
    }
    if (msg.id !== undefined) {
      let result = null;
      try {
        result = this.onRequest(msg.method, msg.params);
      } catch {
        result = null;
      }
      this.send({ id: msg.id, result: result === undefined ? null : result });
      return;
    }
    const n = { method: msg.method, params: msg.params, at };
    this.notifications.push(n);
    if (this.notifications.length > 10_000) this.notifications.splice(0, 5_000);
    for (const l of [...this.listeners]) l(n);
  }

  /**
   * Resolves with the first notification (from now on) that satisfies `pred`.
   * @returns {Promise<{ method: string, params: any, at: number }>}
   */
  waitFor(pred, timeoutMs = 120_000, what = 'notification') {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.listeners = this.listeners.filter((l) => l !== listener);
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`));
      }, timeoutMs);
      const listener = (n) => {
        if (!pred(n)) return;
        clearTimeout(timer);
        this.listeners = this.listeners.filter((l) => l !== listener);
        resolve(n);
      };
      this.listeners.push(listener);
    });
  }

  /** Diagnostics for `uri` with `version` (or, when the server sends no version, the next ones). */
  waitForDiagnostics(uri, version, timeoutMs) {
    return this.waitFor(
      (n) => n.method === 'textDocument/publishDiagnostics' && n.params.uri === uri && (n.params.version === undefined || n.params.version === version),
      timeoutMs,
      `diagnostics of ${uri} version ${version}`,
    );
  }

  /** { rssMiB, peakMiB } of the server process, from /proc; undefined elsewhere. */
  memory() {
    try {
      const status = fs.readFileSync(`/proc/${this.pid}/status`, 'utf8');
      const kb = (k) => Number(new RegExp(`^${k}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
      return { rssMiB: kb('VmRSS') / 1024, peakMiB: kb('VmHWM') / 1024 };
    } catch {
      return undefined;
    }
  }

  async stop() {
    if (this.exited) return;
    try {
      const { response } = this.request('shutdown', null);
      await Promise.race([response, new Promise((r) => setTimeout(r, 3000))]);
      this.notify('exit', null);
    } catch {
      // already gone
    }
    await new Promise((r) => {
      if (this.exited) return r(undefined);
      const t = setTimeout(() => {
        this.proc.kill();
        r(undefined);
      }, 3000);
      this.proc.on('exit', () => {
        clearTimeout(t);
        r(undefined);
      });
    });
  }
}

module.exports = { LspClient };
