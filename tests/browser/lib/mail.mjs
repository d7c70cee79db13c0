// Email, as the test SMTP sink wrote it into MAIL_DIR: one `<seq>.json` per message with
// seq, from, to, subject, text, html and links (see tests/src/smtp_sink.rs).

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

import { env } from './env.mjs';

/** Every message received so far, oldest first. */
export function all() {
  return readdirSync(env.mailDir)
    .filter((name) => /^\d+\.json$/.test(name))
    .sort()
    .map((name) => withHelpers(JSON.parse(readFileSync(join(env.mailDir, name), 'utf8'))));
}

/** The seq of the newest message so far (0 if none): pass it as `after` to wait for a new one. */
export function mark() {
  return all().reduce((n, m) => Math.max(n, m.seq), 0);
}

/**
 * Waits for the newest message to `to` (case-insensitive) whose subject matches `subject` (a
 * substring or a RegExp; any if left out), received after the message numbered `after`, and
 * returns it with `link(needle)`: its first link containing `needle`. Throws, listing what did
 * arrive, after `timeout` ms.
 */
export async function waitFor({ to, subject, after = 0, timeout = 15000 } = {}) {
  const matches = (m) =>
    m.seq > after &&
    (to === undefined || m.to.some((t) => t.toLowerCase() === to.toLowerCase())) &&
    (subject === undefined || (subject instanceof RegExp ? subject.test(m.subject) : m.subject.includes(subject)));
  const deadline = Date.now() + timeout;
  for (;;) {
    const found = all().filter(matches);
    if (found.length) return found[found.length - 1];
    if (Date.now() > deadline) {
      const got = all().map((m) => `  ${m.seq}. to ${m.to.join(', ')}: ${JSON.stringify(m.subject)}`);
      throw new Error(`no email to ${to ?? 'anyone'} with subject ${subject ?? '(any)'} after #${after} within ${timeout} ms; ${got.length ? `received:\n${got.join('\n')}` : 'no email arrived at all'}`);
    }
    await sleep(100);
  }
}

function withHelpers(m) {
  m.link = (needle = '') => {
    const link = m.links.find((l) => l.includes(needle));
    if (!link) throw new Error(`email ${JSON.stringify(m.subject)} to ${m.to.join(', ')} has no link containing ${JSON.stringify(needle)}; its links: ${m.links.join(' ')}`);
    return link;
  };
  return m;
}
