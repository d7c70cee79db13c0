// The language switcher on every page type of a citizen's flow: an activity, My input, the
// account, and the sign-in page. On each, its buttons switch to Spanish, then to French: the
// page comes back at the same address with <html lang> and its strings in that language
// (the organisers' response's disposition too), and axe checks it.
//
// SCENARIO_DATA: { link, activityId }

import { assert, checkA11y, expectLang, newPage, scenario, visit } from '../lib/index.mjs';
import { expectReflow } from '../lib/layout.mjs';

/** axe, and no sideways scrolling at phone width. */
async function checkState(page, state) {
  await checkA11y(page, state);
  await expectReflow(page, state);
}

const BUTTON = { es: 'Español', fr: 'Français', en: 'English' };

/** Page types: where, and a string that must show in each language. */
const PAGES = (data) => [
  { name: 'activity', path: `/activities/${data.activityId}`, words: { es: 'Participe', fr: 'Participer' }, role: ['heading', 2] },
  { name: 'my input', path: '/me/input', words: { es: 'Mis aportaciones', fr: 'Mes contributions' }, role: ['heading', 1],
    also: { es: 'Adoptada', fr: 'Retenue' } },
  { name: 'account', path: '/account', words: { es: 'Tu cuenta', fr: 'Votre compte' }, role: ['heading', 1] },
];

async function switchTo(page, lang, path) {
  await Promise.all([
    page.waitForNavigation({ waitUntil: 'load' }),
    page.getByRole('button', { name: BUTTON[lang], exact: true }).click(),
  ]);
  assert.equal(new URL(page.url()).pathname + new URL(page.url()).search, path, `the switcher comes back to ${path}`);
  await expectLang(page, lang);
}

async function check(page, p, lang) {
  const [role, level] = p.role;
  assert.ok(await page.getByRole(role, { level, name: p.words[lang], exact: true }).isVisible(), `${p.name} in ${lang}: "${p.words[lang]}"`);
  if (p.also) assert.ok(await page.getByText(p.also[lang], { exact: false }).first().isVisible(), `${p.name} in ${lang}: "${p.also[lang]}"`);
  await checkState(page, `${p.name} ${lang} 360px`);
}

scenario(async ({ data }) => {
  const page = await newPage({ viewport: 360 });
  await visit(page, data.link);
  await Promise.all([page.waitForURL((u) => u.pathname !== '/login/magic'), page.getByRole('button', { name: 'Sign in' }).click()]);

  for (const p of PAGES(data)) {
    await visit(page, p.path);
    for (const lang of ['es', 'fr']) {
      await switchTo(page, lang, p.path);
      await check(page, p, lang);
    }
  }
  // The choice of a signed-in person is kept in the account: the next page is still French.
  await visit(page, '/');
  await expectLang(page, 'fr');
  await switchTo(page, 'en', '/');

  // The sign-in page, signed out.
  const signin = { name: 'sign-in', path: '/signin', words: { es: 'Iniciar sesión', fr: 'Se connecter' }, role: ['heading', 1] };
  const out = await newPage({ viewport: 360 });
  await visit(out, '/signin');
  await expectLang(out, 'en');
  for (const lang of ['es', 'fr']) {
    await switchTo(out, lang, '/signin');
    await check(out, signin, lang);
  }
});
