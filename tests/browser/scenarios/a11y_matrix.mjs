// The accessibility matrix: every page type, signed out and then signed in, in English,
// Spanish and French, each state checked by axe at 360 and 1280 px (one browser context per
// language, resized between the two checks), with the states that show form errors; the
// cold-load weight of every page type, signed out and in; and the README's screenshots
// (English and Spanish, both widths).
//
// SCENARIO_DATA: { slug, consultation, panel, password, citizens: {en, es, fr}, langs?, weigh? }
// (citizens: the email of a citizen whose account is in that language, with a contribution
// that got a response; langs: the languages to run, all three if left out; weigh: whether to
// check the cold-load weight of every page type too).

import { assert, checkA11y, expectNoSidewaysScroll, checkWeight, env, expectH1, expectLang, expectPath, newPage, scenario, screenshot, visit } from '../lib/index.mjs';

const WIDTHS = [360, 1280];
/** Screenshots for the README: in these languages, of these page states, each starting at
 *  `from` (the top if left out) and at most [at 360, at 1280] px tall, to keep them small. */
const SHOT_LANGS = new Set(['en', 'es']);
const SHOTS = {
  home: { height: [1200, 860] },
  process: { from: 'section[aria-labelledby="outcome-heading"]', height: [1800, 1450] },
  activity: { height: [2150, 1700] },
  'activity-errors': { height: [1200, 800] },
  'my-input': { height: [1200, 900] },
  account: { height: [1200, 800] },
  ledger: { height: [1200, 800] },
  outcome: { height: [1200, 800] },
};

const H1 = {
  en: { home: 'Processes', ledger: 'Public ledger', moderation: 'Moderation log', signin: 'Sign in', signup: 'Create an account', myInput: 'My input', account: 'Your account' },
  es: { home: 'Procesos', ledger: 'Registro público', moderation: 'Registro de moderación', signin: 'Iniciar sesión', signup: 'Crear una cuenta', myInput: 'Mis aportaciones', account: 'Tu cuenta' },
  fr: { home: 'Démarches', ledger: 'Registre public', moderation: 'Journal de modération', signin: 'Se connecter', signup: 'Créer un compte', myInput: 'Mes contributions', account: 'Votre compte' },
};

scenario(async ({ data }) => {
  const langs = data.langs ?? ['en', 'es', 'fr'];
  for (const lang of langs) {
    const page = await newPage({ viewport: WIDTHS[0], lang, cookies: { lang } });
    const h1 = H1[lang];

    /** axe at each width, and the README's screenshot of the state if it is one. */
    const check = async (what, { shot } = {}) => {
      for (const width of WIDTHS) {
        await page.setViewportSize({ width, height: 800 });
        await checkA11y(page, `${what} ${lang} ${width}px`);
        await expectNoSidewaysScroll(page, `${what} ${lang} ${width}px`);
        if (shot && SHOT_LANGS.has(lang)) {
          const { from, height } = SHOTS[shot];
          await screenshot(page, `${shot}-${lang}`, { from, maxHeight: height[WIDTHS.indexOf(width)] });
        }
      }
      await page.setViewportSize({ width: WIDTHS[0], height: 800 });
    };
    /** Submits the form `form` (a locator) and waits for the page it leads to. */
    const submit = async (form, status) => {
      const [res] = await Promise.all([page.waitForNavigation(), form.locator('button[type="submit"]').last().click()]);
      if (status) assert.equal(res.status(), status, `${page.url()}: status ${res.status()}, expected ${status}`);
      return res;
    };
    const errorSummary = async (state) => {
      assert.ok(await page.locator('.error-summary').isVisible(), `${state}: the error summary is shown`);
      assert.ok(await page.evaluate(() => document.activeElement?.classList.contains('error-summary')), `${state}: the error summary has the focus`);
      assert.match(await page.title(), /^(Error|Error|Erreur)\b/, `${state}: the title says there is an error`);
    };

    // ---- Signed out ----
    await visit(page, '/');
    await expectLang(page, lang);
    await expectH1(page, h1.home);
    await check('home signed out');
    await visit(page, `/processes/${data.slug}`);
    await check('process signed out');
    await visit(page, `/activities/${data.consultation}`);
    await check('consultation signed out');
    await visit(page, `/activities/${data.panel}`);
    await check('citizen panel signed out');
    await visit(page, `/processes/${data.slug}/outcome`);
    await check('outcome signed out');
    await visit(page, `/processes/${data.slug}/outcome?version=1`);
    await check('outcome version 1 signed out');
    await visit(page, '/ledger');
    await expectH1(page, h1.ledger);
    await check('ledger signed out');
    await visit(page, `/processes/${data.slug}/moderation`);
    await expectH1(page, h1.moderation);
    await check('moderation log signed out');
    await visit(page, '/processes/no-such-process', { status: 404 });
    await check('404 signed out');
    await crossSitePost(page, `/activities/${data.consultation}/contributions`);
    await check('403 cross-site post signed out');

    await visit(page, '/signup');
    await expectH1(page, h1.signup);
    await check('sign-up');
    await submit(page.locator('form[action="/signup"]'), 422);
    await errorSummary('sign-up');
    await check('sign-up with errors');

    await visit(page, `/signin?next=${encodeURIComponent('/me/input')}`);
    await expectH1(page, h1.signin);
    await check('sign-in');
    const signin = page.locator('form[action="/signin/password"]');
    await signin.locator('input[name="email"]').fill(data.citizens[lang]);
    await signin.locator('input[name="password"]').fill('not the password at all');
    await submit(signin);
    await errorSummary('sign-in refused');
    await check('sign-in refused');

    // ---- Signed in, through the sign-in page ----
    const retry = page.locator('form[action="/signin/password"]');
    await retry.locator('input[name="password"]').fill(data.password);
    await submit(retry);
    expectPath(page, '/me/input');
    await expectH1(page, h1.myInput);
    await expectLang(page, lang);
    await check('my input', { shot: 'my-input' });
    await visit(page, '/account');
    await expectH1(page, h1.account);
    await check('account', { shot: 'account' });
    const password = page.locator('form[action="/account/password"]');
    await password.locator('input[name="new_password"]').fill('short');
    await submit(password, 422);
    await errorSummary('account password');
    await check('account with errors');
    await visit(page, '/account/data');
    await check('download my data');
    await visit(page, '/account/delete');
    await check('delete my account');

    await visit(page, '/');
    await check('home signed in', { shot: 'home' });
    await visit(page, `/processes/${data.slug}`);
    await check('process signed in', { shot: 'process' });
    await visit(page, `/activities/${data.consultation}`);
    assert.ok(await page.locator('#kind-response form').isVisible(), 'the consultation form is offered');
    assert.ok(await page.locator('svg.chart').first().isVisible(), 'the results are drawn');
    await check('consultation signed in', { shot: 'activity' });
    await submit(page.locator('#kind-response form'), 422);
    await errorSummary('consultation');
    await check('consultation with errors', { shot: 'activity-errors' });
    await visit(page, `/activities/${data.panel}`);
    assert.ok(await page.locator('#kind-volunteer form').isVisible(), 'the volunteer form is offered');
    await check('citizen panel signed in');
    await submit(page.locator('#kind-volunteer form'), 422);
    await errorSummary('citizen panel');
    await check('citizen panel with errors');
    // A kind this reader may not send (the draw is the organisers'), posted from the page: 403.
    await visit(page, `/activities/${data.panel}`);
    const volunteer = page.locator('#kind-volunteer form');
    await volunteer.locator('input[name="kind"]').evaluate((input) => { input.value = 'draw'; });
    await submit(volunteer, 403);
    await check('403 a kind the reader may not send');
    await visit(page, `/processes/${data.slug}/outcome`);
    await check('outcome signed in', { shot: 'outcome' });
    await visit(page, '/ledger');
    await check('ledger signed in', { shot: 'ledger' });
    await visit(page, `/processes/${data.slug}/moderation`);
    await check('moderation log signed in');
    await visit(page, '/no/such/page', { status: 404 });
    await check('404 signed in');

    // The budget, on a cold load of each page type, signed out and in (once, in English).
    if (data.weigh && lang === langs[0]) {
      const session = Object.fromEntries((await page.context().cookies()).filter((c) => c.name.startsWith('convene_')).map((c) => [c.name, c.value]));
      const types = [
        ['home', '/'],
        ['process', `/processes/${data.slug}`],
        ['consultation', `/activities/${data.consultation}`],
        ['citizen panel', `/activities/${data.panel}`],
        ['outcome', `/processes/${data.slug}/outcome`],
        ['ledger', '/ledger'],
        ['moderation log', `/processes/${data.slug}/moderation`],
        ['sign-in', '/signin'],
        ['sign-up', '/signup'],
      ];
      for (const [label, path] of types) {
        await checkWeight(path, `${label} signed out`);
        await checkWeight(path, `${label} signed in`, { cookies: session });
      }
      for (const [label, path] of [['my input', '/me/input'], ['account', '/account'], ['download my data', '/account/data'], ['delete my account', '/account/delete']]) {
        await checkWeight(path, `${label} signed in`, { cookies: session });
      }
    }
    await page.close();
  }
});

/**
 * A form on another site that posts to `action` here, submitted in the browser: the browser
 * says the post is cross-site, and the page refuses it (403).
 */
async function crossSitePost(page, action) {
  const elsewhere = 'http://elsewhere.example/form';
  const html = `<!doctype html><html lang="en"><head><title>Elsewhere</title></head><body><main><h1>Elsewhere</h1>
<form method="post" action="${env.baseUrl}${action}"><input type="hidden" name="kind" value="response"><button type="submit">Send</button></form></main></body></html>`;
  await page.route(elsewhere, (route) => route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: html }));
  await page.goto(elsewhere);
  const [res] = await Promise.all([page.waitForNavigation(), page.locator('button').click()]);
  assert.equal(res.status(), 403, `a cross-site post to ${action}: status ${res.status()}`);
  assert.equal(new URL(page.url()).origin, env.baseUrl);
  await page.unroute(elsewhere);
}
