// The demo's Arabic activity: its content (title, description, questions, answers) runs right
// to left inside an interface in the reader's language, signed out and with the form, and
// passes axe at both widths.
//
// SCENARIO_DATA: { activity, title, email, password }

import { assert, checkA11y, expectNoSidewaysScroll, expectH1, expectLang, newPage, scenario, visit } from '../lib/index.mjs';

scenario(async ({ data }) => {
  const page = await newPage({ viewport: 360 });
  const path = `/activities/${data.activity}`;
  const rtl = async (state) => {
    await expectLang(page, 'en');
    await expectH1(page, data.title);
    const h1 = page.locator('h1');
    assert.equal(await h1.evaluate((h) => getComputedStyle(h).direction), 'rtl', `${state}: the Arabic title runs right to left`);
    assert.equal(await h1.evaluate((h) => h.closest('[lang]').getAttribute('lang')), 'ar', `${state}: the title is marked as Arabic`);
    // Every piece of content marked Arabic runs right to left; the interface around it does not.
    const arabic = await page.locator('main [lang="ar"]').evaluateAll((els) => els.map((e) => [e.tagName, getComputedStyle(e).direction]));
    assert.ok(arabic.length >= 3, `${state}: Arabic content on the page: ${JSON.stringify(arabic)}`);
    const ltr = arabic.filter(([, d]) => d !== 'rtl');
    assert.deepEqual(ltr, [], `${state}: Arabic content laid out left to right`);
    assert.equal(await page.locator('h2').first().evaluate((h) => getComputedStyle(h).direction), 'ltr', `${state}: the interface stays left to right`);
    for (const width of [360, 1280]) {
      await page.setViewportSize({ width, height: 800 });
      await checkA11y(page, `arabic activity ${state} ${width}px`);
      await expectNoSidewaysScroll(page, `arabic activity ${state} ${width}px`);
    }
    await page.setViewportSize({ width: 360, height: 800 });
  };

  await visit(page, path);
  await rtl('signed out');
  const sign = page.locator('#take-part a.button');
  await Promise.all([page.waitForURL('**/signin?**'), sign.click()]);
  const signin = page.locator('form[action="/signin/password"]');
  await signin.locator('input[name="email"]').fill(data.email);
  await signin.locator('input[name="password"]').fill(data.password);
  await Promise.all([page.waitForURL(`**${path}`), signin.locator('button[type="submit"]').click()]);
  assert.ok(await page.locator('#kind-response form').isVisible(), 'the form is offered');
  const legend = page.locator('#kind-response form legend span[lang="ar"]').first();
  assert.equal(await legend.evaluate((e) => getComputedStyle(e).direction), 'rtl', 'the questions run right to left');
  await rtl('with the form');
});
