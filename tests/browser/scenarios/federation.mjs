// Federation in a browser: the process page's "follow from another site" section, a refused
// address coming back with the error summary, then a good one sent on to the person's own site
// (a stand-in on loopback), with scripts off as well as on; the administrators' federation page
// with a follower and a failed delivery, an instance blocked through the form (after a refused
// name) and unblocked. axe runs on every state, at 1280 and 360 px, in English, Spanish and
// French.
//
// SCENARIO_DATA: { adminToken, slug, handle, siteHost, actor }

import { assert, checkA11y, expectH1, expectNoSidewaysScroll, expectPath, newPage, scenario, screenshot, visit, submit } from '../lib/index.mjs';

const T = {
  en: {
    problem: 'There is a problem', federation: 'Federation', follow: 'Follow from another site', address: 'Your address on your site',
    followButton: 'Follow from my site', instance: 'Instance name', reason: 'Reason (optional)', block: 'Block instance',
  },
  es: {
    problem: 'Hay un problema', federation: 'Federación', follow: 'Seguir desde otro sitio', address: 'Su dirección en su sitio',
    followButton: 'Seguir desde mi sitio', instance: 'Nombre de la instancia', reason: 'Motivo (opcional)', block: 'Bloquear la instancia',
  },
  fr: {
    problem: 'Il y a un problème', federation: 'Fédération', follow: 'Suivre depuis un autre site', address: 'Votre adresse sur votre site',
    followButton: 'Suivre depuis mon site', instance: "Nom de l'instance", reason: 'Motif (facultatif)', block: "Bloquer l'instance",
  },
};

scenario(async ({ data }) => {
  // The process page, read by anyone, with scripts off: the address and the form.
  for (const [lang, viewport, javaScriptEnabled] of [['en', 1280, false], ['es', 360, true], ['fr', 360, false]]) {
    const t = T[lang];
    const state = (what) => `${what} ${lang} ${viewport}px${javaScriptEnabled ? '' : ' no-js'}`;
    const page = await newPage({ viewport, lang, javaScriptEnabled, cookies: { lang } });
    await visit(page, `/processes/${data.slug}`);
    const section = page.locator('section.follow');
    assert.ok(await section.getByRole('heading', { level: 2, name: t.follow }).isVisible(), state('the follow section'));
    assert.equal((await section.locator('code.handle').innerText()).trim(), data.handle);
    await checkA11y(page, state('process follow section'));
    await expectNoSidewaysScroll(page, state('process follow section'));
    if (lang !== 'fr') await screenshot(page, `process-follow-${lang}`, { from: 'section.follow' });

    // A refused address: the follow page, the error summary first, what was typed kept.
    await section.getByLabel(t.address).fill('ana at social');
    await submit(page, t.followButton, section);
    expectPath(page, `/processes/${data.slug}/follow`);
    await expectH1(page, t.follow);
    assert.ok(await page.getByRole('heading', { level: 2, name: t.problem }).isVisible(), state('the error summary'));
    assert.equal(await page.getByLabel(t.address).inputValue(), 'ana at social');
    await checkA11y(page, state('follow refused'));
    await expectNoSidewaysScroll(page, state('follow refused'));
    if (lang === 'en' || viewport === 360) await screenshot(page, `process-follow-errors-${lang}`);

    // The error summary's link takes the reader to the field.
    await page.locator('.error-summary a[href="#handle"]').click();
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'handle', state('the link focuses the field'));

    // A good address: the browser goes on to the person's own site, which is asked to follow
    // the process's actor (the page's policy lets the form's redirect leave the site).
    await page.getByLabel(t.address).fill(`@ana@${data.siteHost}`);
    await submit(page, t.followButton);
    const landed = new URL(page.url());
    assert.equal(landed.host, data.siteHost, `${state('sent on')}: at ${page.url()}`);
    assert.equal(landed.pathname, '/authorize_interaction');
    assert.equal((await page.locator('#uri').innerText()).trim(), data.actor);
    await page.context().close();
  }

  // The administrators' page, in English at desktop width: a follower, a failed delivery, an
  // instance blocked (after a refused name) and unblocked.
  {
    const t = T.en;
    const state = (what) => `${what} en 1280px`;
    const page = await newPage({ viewport: 1280, lang: 'en', cookies: { lang: 'en', convene_access: data.adminToken } });
    await visit(page, '/admin');
    await Promise.all([page.waitForEvent('load'), page.locator('nav.staff-tabs').getByRole('link', { name: t.federation, exact: true }).click()]);
    expectPath(page, '/admin/federation');
    await expectH1(page, t.federation);
    assert.ok(await page.getByText('Ana García').isVisible(), 'the follower');
    assert.ok(await page.getByRole('button', { name: /^Try again/ }).isVisible(), 'the failed delivery');
    await checkA11y(page, state('federation'));
    await screenshot(page, 'staff-admin-federation-en');

    await page.getByLabel(t.instance).fill('not an instance!');
    await page.getByLabel(t.reason).fill('Spam');
    await submit(page, t.block);
    assert.ok(await page.getByRole('heading', { level: 2, name: t.problem }).isVisible(), 'the error summary');
    assert.match(await page.locator('#instance-error').innerText(), /Enter the instance's name only/);
    assert.equal(await page.getByLabel(t.instance).inputValue(), 'not an instance!');
    await checkA11y(page, state('federation block refused'));
    await screenshot(page, 'staff-admin-federation-errors-en', { from: '#blocked-heading' });

    await page.getByLabel(t.instance).fill('spam.example');
    await page.getByLabel(t.reason).fill('Sends spam to every process');
    await submit(page, t.block);
    expectPath(page, '/admin/federation?done=blocked');
    assert.ok(await page.getByText('The instance is blocked.').isVisible());
    assert.ok(await page.getByRole('cell', { name: 'Sends spam to every process' }).isVisible());
    await checkA11y(page, state('federation blocked'));
    await screenshot(page, 'staff-admin-federation-blocked-en', { from: '#blocked-heading' });

    await submit(page, 'Unblock spam.example');
    expectPath(page, '/admin/federation?done=unblocked');
    assert.ok(await page.getByText('The instance is unblocked.').isVisible());
    assert.ok(await page.getByText('No instance is blocked.').isVisible());
    await checkA11y(page, state('federation unblocked'));
    await page.context().close();
  }

  // At phone width and in each language: the page, and the block form with a mistake.
  for (const [lang, viewport] of [['en', 360], ['es', 360], ['fr', 1280]]) {
    const t = T[lang];
    const state = (what) => `${what} ${lang} ${viewport}px`;
    const page = await newPage({ viewport, lang, cookies: { lang, convene_access: data.adminToken } });
    // The account's own language wins over the cookie: switch it as a person would.
    await visit(page, '/admin/federation');
    await Promise.all([page.waitForEvent('load'), page.locator(`form.lang-switch button[lang="${lang}"]`).click()]);
    expectPath(page, '/admin/federation');
    await expectH1(page, t.federation);
    await checkA11y(page, state('federation'));
    await expectNoSidewaysScroll(page, state('federation'));
    if (lang === 'en') await screenshot(page, 'staff-admin-federation-en');
    await submit(page, t.block);
    assert.ok(await page.getByRole('heading', { level: 2, name: t.problem }).isVisible(), state('the error summary'));
    await checkA11y(page, state('federation block refused'));
    if (lang !== 'en') await screenshot(page, `staff-admin-federation-errors-${lang}`);
    await page.context().close();
  }
});
