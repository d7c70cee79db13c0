// Signing in with the link from an email: the link's landing page, its button, the session.
//
// SCENARIO_DATA: { email } (the Rust side asked for a sign-in link for this address).

import { assert, checkA11y, expectCookie, expectH1, expectPath, mail, newPage, scenario, screenshot, visit } from '../lib/index.mjs';

scenario(async ({ data }) => {
  const email = await mail.waitFor({ to: data.email, subject: 'Your sign-in link' });
  const link = email.link('/login/magic?token=');

  const page = await newPage({ viewport: 360 });
  await visit(page, link);
  await expectH1(page, /^Sign in/);
  await checkA11y(page, 'sign-in link landing 360px');
  await screenshot(page, 'signin-link');
  await page.setViewportSize({ width: 1280, height: 800 });
  await checkA11y(page, 'sign-in link landing 1280px');
  await screenshot(page, 'signin-link');

  await Promise.all([page.waitForURL((url) => url.pathname === '/me/input'), page.getByRole('button', { name: 'Sign in' }).click()]);
  expectPath(page, '/me/input');
  const cookie = await expectCookie(page, 'convene_access');
  assert.ok(cookie.httpOnly, 'the session cookie is HttpOnly');
  await checkA11y(page, 'my input signed in 1280px');

  // The session works: the API answers as this person (cookies count for GET).
  const me = await page.request.get('/api/v1/me');
  assert.equal(me.status(), 200, `GET /api/v1/me: ${await me.text()}`);
  assert.equal((await me.json()).email, data.email);
});
