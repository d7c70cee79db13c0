// Checks package-lock.json: every package comes from the npm registry configured for npm
// (passed as the first argument: `npm config get registry`), by version, with an integrity
// hash; no git, file, link or tarball-URL dependencies.
// Usage: node tests/browser/check-lockfile.mjs "$(npm config get registry)"

import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const registry = new URL(process.argv[2] || 'invalid:');
const lock = JSON.parse(readFileSync(join(dirname(fileURLToPath(import.meta.url)), 'package-lock.json'), 'utf8'));
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
const text = readFileSync(join(dirname(fileURLToPath(import.meta.url)), 'package-lock.json'), 'utf8');
for (const url of text.match(/[a-z+]+:\/\/[^"\s]+/g) ?? []) {
  if (!url.startsWith(registry.origin + '/')) problems.push(`a URL outside the registry: ${url}`);
}
if (problems.length) {
  console.error(`tests/browser/package-lock.json:\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
console.log(`tests/browser/package-lock.json: ${Object.keys(lock.packages).length - 1} packages, all from the registry by version with integrity hashes`);
