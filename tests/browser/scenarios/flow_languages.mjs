// The language switcher on every page type of a citizen's flow: an activity, My input, the
// account, and the sign-in page. On each, its buttons switch to Spanish, then to French: the
// page comes back at the same address with <html lang> and its strings in that language
// (the organisers' response's disposition too), and axe checks it. A form sent with a
// mistake comes back with its errors in French (the plugin's too), and switching language
// there goes back to the form's page, not to the address the form was posted to.
//
// SCENARIO_DATA: { link, activityId, tooLong }

import { assert, checkA11y, expectLang, newPage, scenario, visit } from '../lib/index.mjs';
import { expectReflow } from '../lib/layout.mjs';

/** axe, and no sideways scrolling at phone width. */
async function checkState(page, state) {
  await checkA11y(page, state);
  await expectReflow(page, state);
}

const BUTTON = { es: 'Español', fr: 'Français', en: 'English' };

/** Page types: where, and a string that must show in each language. */
/** `fail`: sends the page's form with a mistake (the page is in French), `errors`: what its
 * error summary then says, in French. */
const PAGES = (data) => [
  { name: 'activity', path: `/activities/${data.activityId}`, words: { es: 'Participe', fr: 'Participer' }, role: ['heading', 2],
    fail: async (page) => {
      const form = page.locator(`form[action="/activities/${data.activityId}/contributions"]`);
      await form.getByLabel('Anything else?').fill(data.tooLong);
      await form.getByRole('button', { name: 'Envoyer' }).click();
    },
    errors: ['Répondez à cette question.', 'Écrivez au plus 40 caractères.'] },
  { name: 'my input', path: '/me/input', words: { es: 'Mis aportaciones', fr: 'Mes contributions' }, role: ['heading', 1],
    also: { es: 'Adoptada', fr: 'Retenue' } },
  { name: 'account', path: '/account', words: { es: 'Tu cuenta', fr: 'Votre compte' }, role: ['heading', 1],
    fail: async (page) => {
      const form = page.locator('form[action="/account/password"]');
      await form.locator('input[type=password]').last().fill('short');
      await form.getByRole('button').click();
    },
    errors: ['Votre mot de passe doit faire au moins 12 caractères'] },
];

const SIGNIN = { name: 'sign-in', path: '/signin', words: { es: 'Iniciar sesión', fr: 'Se connecter' }, role: ['heading', 1],
  fail: async (page) => {
    const form = page.locator('form[action="/signin/password"]');
    await form.locator('input[type=email]').fill('nobody.here@example.org');
    await form.locator('input[type=password]').fill('not the password at all');
    await form.getByRole('button').click();
  },
  errors: ['L’adresse e-mail ou le mot de passe n’est pas correct'] };

/** The page's form sent with a mistake, in French: the errors in French; then the switcher
 * goes back to the page the form is on, in Spanish. */
async function failThenSwitch(page, p) {
  await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), p.fail(page)]);
  await expectLang(page, 'fr');
  const summary = page.locator('.error-summary');
  await summary.waitFor();
  const said = await summary.innerText();
  for (const words of p.errors) assert.ok(said.includes(words), `${p.name}: the error summary says "${words}" in French: ${said}`);
  const fields = await page.locator('.error-message').allInnerTexts();
  assert.ok(fields.length > 0, `${p.name}: errors at their fields`);
  for (const text of [said, ...fields]) assert.ok(!/is required|must be|characters/.test(text), `${p.name}: an error in English on a French page: ${text}`);
  await checkState(page, `${p.name} with errors fr 360px`);
  await switchTo(page, 'es', p.path);
}

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
    if (p.fail) {
      await failThenSwitch(page, p);
      await switchTo(page, 'fr', p.path);
    }
  }
  // The choice of a signed-in person is kept in the account: the next page is still French.
  await visit(page, '/');
  await expectLang(page, 'fr');
  await switchTo(page, 'en', '/');

  // The sign-in page, signed out.
  const out = await newPage({ viewport: 360 });
  await visit(out, '/signin');
  await expectLang(out, 'en');
  for (const lang of ['es', 'fr']) {
    await switchTo(out, lang, '/signin');
    await check(out, SIGNIN, lang);
  }
  await failThenSwitch(out, SIGNIN);
});
