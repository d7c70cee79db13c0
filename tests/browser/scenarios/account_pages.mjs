// The account pages in a browser, checked with axe in English, Spanish and French at phone
// width (and English at desktop width): sign-up with its error state, the emailed link's
// page, My input empty and with a response, the account page, download and delete, sign-out,
// and the sign-in page with a refused password.
//
// SCENARIO_DATA: { rosaEmail, rosaPassword } (Rosa has a contribution with a response).

import { assert, checkA11y, expectH1, expectLang, expectPath, mail, newPage, scenario, screenshot, visit } from '../lib/index.mjs';

const T = {
  en: { signup: 'Create an account', create: 'Create account', email: 'Email address', name: 'Your name', signIn: 'Sign in', password: 'Password',
    problem: 'There is a problem', account: 'Your account', myInput: 'My input', signOutHere: 'Sign out on this device' },
  es: { signup: 'Crear una cuenta', create: 'Crear la cuenta', email: 'Dirección de correo electrónico', name: 'Tu nombre', signIn: 'Iniciar sesión', password: 'Contraseña',
    problem: 'Hay un problema', account: 'Tu cuenta', myInput: 'Mis aportaciones', signOutHere: 'Cerrar sesión en este dispositivo' },
  fr: { signup: 'Créer un compte', create: 'Créer le compte', email: 'Adresse e-mail', name: 'Votre nom', signIn: 'Se connecter', password: 'Mot de passe',
    problem: 'Il y a un problème', account: 'Votre compte', myInput: 'Mes contributions', signOutHere: 'Se déconnecter sur cet appareil' },
};

scenario(async ({ data }) => {
  const runs = [['en', 360], ['es', 360], ['fr', 360], ['en', 1280]];
  for (const [i, [lang, viewport]] of runs.entries()) {
    const t = T[lang];
    const state = (what) => `${what} ${lang} ${viewport}px`;
    const page = await newPage({ viewport, lang, cookies: { lang } });

    // Sign-up: the empty form refused, with its error summary focused; then sent.
    await visit(page, '/signup');
    await expectLang(page, lang);
    await expectH1(page, t.signup);
    await checkA11y(page, state('sign-up'));
    await Promise.all([page.waitForURL('**/signup'), page.getByRole('button', { name: t.create }).click()]);
    assert.ok(await page.getByRole('heading', { level: 2, name: t.problem }).isVisible(), state('the error summary'));
    await checkA11y(page, state('sign-up errors'));
    if (i === 0) await screenshot(page, 'signup-errors');
    const email = `new${i}@example.org`;
    await page.getByLabel(t.email).fill(email);
    await page.getByLabel(t.name, { exact: true }).fill(`Person ${i}`);
    const before = mail.mark();
    await Promise.all([page.waitForURL('**/signup/sent'), page.getByRole('button', { name: t.create }).click()]);
    await checkA11y(page, state('sign-up sent'));

    // The link's page, its button, then My input (empty) and the account pages.
    const link = (await mail.waitFor({ to: email, after: before })).link('/login/magic?token=');
    await visit(page, link);
    await checkA11y(page, state('sign-in link landing'));
    await Promise.all([page.waitForURL('**/me/input'), page.getByRole('button', { name: t.signIn }).click()]);
    await expectH1(page, t.myInput);
    await checkA11y(page, state('my input empty'));
    await visit(page, '/account');
    await expectH1(page, t.account);
    await checkA11y(page, state('account'));
    if (i === 0 || i === 3) await screenshot(page, 'account');
    await visit(page, '/account/data');
    await checkA11y(page, state('download my data'));
    await visit(page, '/account/delete');
    await checkA11y(page, state('delete my account'));

    // Signing out, then a refused password.
    await visit(page, '/account');
    await Promise.all([page.waitForURL('**/signout'), page.getByRole('button', { name: t.signOutHere }).click()]);
    await checkA11y(page, state('signed out'));
    await visit(page, '/signin?next=%2Fme%2Finput');
    await checkA11y(page, state('sign-in'));
    const form = page.locator('form[action="/signin/password"]');
    await form.getByLabel(t.email).fill(data.rosaEmail);
    await form.getByLabel(t.password, { exact: true }).fill('not the password at all');
    await Promise.all([page.waitForURL('**/signin/password'), form.getByRole('button', { name: t.signIn }).click()]);
    assert.ok(await page.getByRole('heading', { level: 2, name: t.problem }).isVisible(), state('the refused password'));
    await checkA11y(page, state('sign-in refused'));
    if (i === 0) await screenshot(page, 'signin-refused');

    // Rosa, with a contribution and the organisers' response.
    const retry = page.locator('form[action="/signin/password"]');
    await retry.getByLabel(t.password, { exact: true }).fill(data.rosaPassword);
    await Promise.all([page.waitForURL('**/me/input'), retry.getByRole('button', { name: t.signIn }).click()]);
    expectPath(page, '/me/input');
    await checkA11y(page, state('my input with a response'));
    if (i === 0 || i === 3) await screenshot(page, 'my-input');
    await page.close();
  }
});
