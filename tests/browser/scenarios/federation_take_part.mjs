// Taking part across two real Convene servers, in a browser: on the host (BASE_URL), the
// activity page's "take part from another site" form, a refused site coming back with the
// error summary, and the person's own site taking the browser on; on the person's own site, the
// activity's form from the host (an error at its field, then sent), "My input" with what went
// elsewhere, the page that asks for an activity's address, and an organiser's "Linked" tab (a
// refused address, then linked). axe runs on every state, at 1280 px with scripts off and at
// 360 px, in English and Spanish.
//
// SCENARIO_DATA: { activityId, address, title, homeOrigin, homeInstance, hostInstance,
//                  personToken, clerkToken, linkSlug, parent }

import { assert, checkA11y, expectH1, expectNoSidewaysScroll, expectPath, newPage, scenario, screenshot, visit, submit } from '../lib/index.mjs';

const T = {
  en: {
    problem: 'There is a problem', from: 'Take part from another site', site: 'Your site', fromButton: 'Take part from my site',
    view: 'Your view?', send: (site) => `Send to ${site}`, sentHeading: 'Sent to other sites', find: 'Find the activity',
    linked: 'Linked to another site', linkLabel: "The activity's address", linkButton: 'Link this process',
  },
  es: {
    problem: 'Hay un problema', from: 'Participar desde otro sitio', site: 'Su sitio', fromButton: 'Participar desde mi sitio',
    view: 'Your view?', send: (site) => `Enviar a ${site}`, sentHeading: 'Enviado a otros sitios', find: 'Buscar la actividad',
    linked: 'Vinculado a otro sitio', linkLabel: 'La dirección de la actividad', linkButton: 'Vincular este proceso',
  },
};

/** Signs the page's browser in on the person's own site (cookies on loopback ignore the port). */
async function signedInAtHome(page, data, token) {
  await page.context().addCookies([{ name: 'convene_access', value: token, url: data.homeOrigin }]);
}

scenario(async ({ data }) => {
  for (const [lang, viewport, javaScriptEnabled] of [['en', 1280, false], ['es', 360, true]]) {
    const t = T[lang];
    const state = (what) => `${what} ${lang} ${viewport}px${javaScriptEnabled ? '' : ' no-js'}`;

    // On the host, read by anyone: the section, a refused site, then the person's own site.
    {
      const page = await newPage({ viewport, lang, javaScriptEnabled, cookies: { lang } });
      await visit(page, `/activities/${data.activityId}`);
      const section = page.locator('#take-part-from');
      assert.ok(await section.getByRole('heading', { level: 3, name: t.from }).isVisible(), state('the section'));
      await checkA11y(page, state('activity, take part from another site'));
      await expectNoSidewaysScroll(page, state('activity, take part from another site'));
      if (viewport === 360) await screenshot(page, `activity-take-part-from-${lang}`, { from: '#take-part-from' });

      await section.getByLabel(t.site).fill('localhost:1');
      await submit(page, t.fromButton, section);
      expectPath(page, `/activities/${data.activityId}/elsewhere`);
      await expectH1(page, t.from);
      assert.ok(await page.getByRole('heading', { level: 2, name: t.problem }).isVisible(), state('the error summary'));
      assert.equal(await page.getByLabel(t.site).inputValue(), 'localhost:1');
      await checkA11y(page, state('take part from, refused'));
      await expectNoSidewaysScroll(page, state('take part from, refused'));

      await page.getByLabel(t.site).fill(data.homeInstance);
      await submit(page, t.fromButton);
      const landed = new URL(page.url());
      assert.equal(landed.host, data.homeInstance, `${state('sent on')}: at ${page.url()}`);
      // Not signed in there: its sign-in page, which comes back to the activity's forms.
      assert.equal(landed.pathname, '/signin');
      assert.ok(landed.searchParams.get('next').startsWith('/take-part?activity='), page.url());
      await page.context().close();
    }

    // On the person's own site, signed in: the host's form, an error, then sent.
    {
      const page = await newPage({ viewport, lang, javaScriptEnabled, cookies: { lang } });
      await signedInAtHome(page, data, data.personToken);
      const takePart = `${data.homeOrigin}/take-part?activity=${encodeURIComponent(data.address)}`;
      await visit(page, takePart);
      // The account's own language wins over the cookie: switch it as a person would.
      await Promise.all([page.waitForEvent('load'), page.locator(`form.lang-switch button[lang="${lang}"]`).click()]);
      assert.ok((await page.locator('h1').innerText()).includes(data.title), state('the heading names the activity'));
      await checkA11y(page, state('take part elsewhere'));
      await expectNoSidewaysScroll(page, state('take part elsewhere'));
      if (lang === 'en') await screenshot(page, `take-part-elsewhere-${lang}`);

      await page.getByLabel(t.view).fill('far too long for twenty characters');
      await submit(page, t.send(data.hostInstance));
      assert.ok(await page.getByRole('heading', { level: 2, name: t.problem }).isVisible(), state('the error summary'));
      await checkA11y(page, state('take part elsewhere, refused'));
      await page.locator('.error-summary a[href="#f-response-answers-q"]').click();
      assert.equal(await page.evaluate(() => document.activeElement?.id), 'f-response-answers-q', state('the link focuses the field'));

      await page.getByLabel(t.view).fill(`Buses first (${lang}).`);
      await submit(page, t.send(data.hostInstance));
      const at = new URL(page.url());
      assert.equal(at.pathname, '/me/input', page.url());
      assert.ok(await page.getByRole('heading', { level: 2, name: t.sentHeading }).isVisible(), state('what went elsewhere'));
      assert.ok(await page.getByText(`Buses first (${lang}).`).isVisible(), state('what was said'));
      await checkA11y(page, state('my input, sent elsewhere'));
      await expectNoSidewaysScroll(page, state('my input, sent elsewhere'));
      if (lang === 'en') await screenshot(page, `my-input-elsewhere-${lang}`, { from: '#elsewhere' });

      await visit(page, `${data.homeOrigin}/take-part`);
      assert.ok(await page.getByRole('button', { name: t.find, exact: true }).isVisible());
      await checkA11y(page, state('take part elsewhere, the address'));
      await page.context().close();
    }
  }

  // An organiser on the person's site links a process to the host's reports activity.
  for (const [lang, viewport] of [['en', 1280], ['es', 360]]) {
    const t = T[lang];
    const state = (what) => `${what} ${lang} ${viewport}px`;
    const page = await newPage({ viewport, lang, cookies: { lang } });
    await signedInAtHome(page, data, data.clerkToken);
    const linkPage = `${data.homeOrigin}/manage/processes/${data.linkSlug}/link`;
    await visit(page, linkPage);
    // The account's own language wins over the cookie: switch it as a person would.
    await Promise.all([page.waitForEvent('load'), page.locator(`form.lang-switch button[lang="${lang}"]`).click()]);
    await expectH1(page, t.linked);
    await checkA11y(page, state('linked, not yet'));
    await expectNoSidewaysScroll(page, state('linked, not yet'));
    await submit(page, t.linkButton);
    assert.ok(await page.getByRole('heading', { level: 2, name: t.problem }).isVisible(), state('the error summary'));
    await checkA11y(page, state('linked, refused'));
    if (lang === 'en') {
      await page.getByLabel(t.linkLabel).fill(data.parent);
      await submit(page, t.linkButton);
      expectPath(page, `/manage/processes/${data.linkSlug}/link?done=linked`);
      await checkA11y(page, state('linked'));
      await screenshot(page, `staff-linked-${lang}`);
    }
    await page.context().close();
  }
});
