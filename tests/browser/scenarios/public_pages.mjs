// The public pages in every interface language at phone and desktop width: the front page,
// a process page, a page that does not exist; the language switcher; an Arabic process laid
// out right to left; the skip link and the switcher by keyboard alone.
//
// SCENARIO_DATA: { slug, title, titleEs, arabicSlug, arabicTitle }

import { assert, checkA11y, checkWeight, expectH1, expectLang, newPage, scenario, screenshot, visit } from '../lib/index.mjs';

const HOME_H1 = { en: 'Processes', es: 'Procesos', fr: 'Démarches' };
const TIMELINE = { en: 'Timeline', es: 'Calendario', fr: 'Calendrier' };

scenario(async ({ data }) => {
  for (const lang of ['en', 'es', 'fr']) {
    for (const viewport of [360, 1280]) {
      const page = await newPage({ viewport, cookies: { lang } });
      await visit(page, '/');
      await expectLang(page, lang);
      await expectH1(page, HOME_H1[lang]);
      await checkA11y(page, `home ${lang} ${viewport}px`);

      await visit(page, `/?scope=national&text=${encodeURIComponent('AI')}`);
      await checkA11y(page, `home filtered ${lang} ${viewport}px`);

      await visit(page, `/processes/${data.slug}`);
      await expectLang(page, lang);
      assert.ok(await page.getByRole('heading', { level: 2, name: TIMELINE[lang] }).isVisible(), `${lang}: the timeline heading`);
      await checkA11y(page, `process ${lang} ${viewport}px`);

      await visit(page, '/processes/no-such-process', { status: 404 });
      await checkA11y(page, `404 ${lang} ${viewport}px`);
      await page.close();
    }
  }

  // The budget on a cold load: what a phone on a poor connection fetches.
  await checkWeight('/', 'home');
  await checkWeight(`/processes/${data.slug}`, 'process');
  await checkWeight(`/processes/${data.arabicSlug}`, 'process arabic');

  // The switcher, by mouse: the page comes back in Spanish and stays so.
  const page = await newPage({ viewport: 1280 });
  await visit(page, `/processes/${data.slug}`);
  await page.getByRole('button', { name: 'Español' }).click();
  await page.waitForURL(`**/processes/${data.slug}`);
  await expectLang(page, 'es');
  await expectH1(page, data.titleEs);
  await visit(page, '/');
  await expectLang(page, 'es');

  // By keyboard alone: the first Tab reaches the skip link, which moves focus to the content;
  // the switcher's buttons are reachable and work with Enter.
  const kb = await newPage({ viewport: 1280, javaScriptEnabled: false });
  await visit(kb, '/');
  await kb.keyboard.press('Tab');
  assert.equal(await kb.evaluate(() => document.activeElement.className), 'skip-link', 'the first Tab reaches the skip link');
  assert.ok(await kb.evaluate(() => getComputedStyle(document.activeElement).outlineStyle !== 'none' || getComputedStyle(document.activeElement).boxShadow !== 'none'), 'focus is visible');
  await kb.keyboard.press('Enter');
  assert.equal(await kb.evaluate(() => location.hash), '#main');
  let reached = false;
  await kb.evaluate(() => document.activeElement.blur());
  await kb.locator('body').focus();
  for (let i = 0; i < 40 && !reached; i++) {
    await kb.keyboard.press('Tab');
    reached = await kb.evaluate(() => document.activeElement.textContent.trim() === 'Français');
  }
  assert.ok(reached, 'the language switcher is reachable by Tab');
  await Promise.all([kb.waitForNavigation(), kb.keyboard.press('Enter')]);
  await expectLang(kb, 'fr');

  // Arabic content: right to left, the timeline mirrored (its line on the right).
  for (const viewport of [360, 1280]) {
    const ar = await newPage({ viewport });
    await visit(ar, `/processes/${data.arabicSlug}`);
    const heading = ar.locator('h1');
    assert.equal(await heading.innerText(), data.arabicTitle);
    assert.equal(await heading.evaluate((h) => getComputedStyle(h).direction), 'rtl', 'the Arabic title runs right to left');
    assert.equal(await heading.evaluate((h) => h.closest('[lang]').getAttribute('lang')), 'ar');
    const timeline = ar.locator('ol.timeline');
    const borders = await timeline.evaluate((ol) => ({ right: getComputedStyle(ol).borderRightWidth, left: getComputedStyle(ol).borderLeftWidth }));
    assert.notEqual(borders.right, '0px', `the timeline's line is on the right: ${JSON.stringify(borders)}`);
    assert.equal(borders.left, '0px', `and not on the left: ${JSON.stringify(borders)}`);
    await checkA11y(ar, `process arabic ${viewport}px`);
    await screenshot(ar, 'process-arabic');
    await ar.close();
  }
});
