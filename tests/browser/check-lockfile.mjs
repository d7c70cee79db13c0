// Checks package-lock.json: every package comes from the npm registry configured for npm
// (passed as the first argument: `npm config get registry`), by version, with an integrity
// hash; no git, file, link or tarball-URL dependencies, and no other URL but funding links.
// Usage: node tests/browser/check-lockfile.mjs "$(npm config get registry)" [LOCKFILE]
// (LOCKFILE: this folder's package-lock.json unless given; tests/fedify/setup.sh checks its own.)

import { readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const registry = new URL(process.argv[2] || 'invalid:');
const lockfile = process.argv[3] || join(dirname(fileURLToPath(import.meta.url)), 'package-lock.json');
const name = relative(join(dirname(fileURLToPath(import.meta.url)), '..', '..'), resolve(lockfile));
const lock = JSON.parse(readFileSync(lockfile, 'utf8'));
const problems = [];
for (const [path, pkg] of Object.entries(lock.packages ?? {})) {
  if (path === '') continue;
  if (pkg.link) problems.push(`${path}: a link`);
  if (!/^\d+\.\d+\.\d+(-[\w.-]+)?$/.test(pkg.version ?? '')) problems.push(`${path}: version ${pkg.version} is not a registry version`);
  if (!pkg.integrity) problems.push(`${path}: no integrity hash`);
  if (pkg.resolved && !(pkg.resolved.startsWith(registry.origin + '/') && new URL(pkg.resolved).origin === registry.origin)) {
    problems.push(`${path}: resolved from ${pkg.resolved}, not from ${registry.origin}`);
  }
}
// Funding links are metadata that npm never fetches: the one place a URL may point elsewhere.
const scanned = JSON.stringify(lock, (key, value) => (key === 'funding' ? undefined : value));
for (const url of scanned.match(/[a-z+]+:\/\/[^"\s]+/g) ?? []) {
  if (!url.startsWith(registry.origin + '/')) problems.push(`a URL outside the registry: ${url}`);
}
if (problems.length) {
  console.error(`${name}:\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
console.log(`${name}: ${Object.keys(lock.packages).length - 1} packages, all from the registry by version with integrity hashes`);
