// The page budget: what a cold load transfers (compressed, as the browser received it) and how
// many requests it makes. Recorded in the report and checked against the budget.

import assert from 'node:assert/strict';

import { report } from './report.mjs';
import { newPage } from './browser.mjs';

/** Budget of every citizen page on a cold load. */
export const BUDGET = { bytes: 60 * 1024, requests: 3 };

/**
 * Loads `path` in a fresh browser context (empty cache), records the bytes transferred and the
 * requests made under `label`, and asserts the budget.
 */
export async function checkWeight(path, label, { cookies = {}, viewport = 360 } = {}) {
  const page = await newPage({ viewport, cookies });
  const requests = [];
  page.on('requestfinished', (req) => requests.push(req));
  const res = await page.goto(path, { waitUntil: 'load' });
  assert.ok(res && res.status() < 400, `${path}: status ${res && res.status()}`);
  let bytes = 0;
  for (const req of requests) {
    const sizes = await req.sizes();
    bytes += sizes.responseBodySize + sizes.responseHeadersSize;
  }
  const entry = { label, path, bytes, requests: requests.length, urls: requests.map((r) => new URL(r.url()).pathname) };
  (report.weights ||= []).push(entry);
  assert.ok(bytes <= BUDGET.bytes, `${label}: ${bytes} bytes transferred, over the ${BUDGET.bytes} budget`);
  assert.ok(requests.length <= BUDGET.requests, `${label}: ${requests.length} requests (${entry.urls.join(', ')}), over ${BUDGET.requests}`);
  await page.close();
  return entry;
}
