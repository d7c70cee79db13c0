// The front page: the instance's name and the public processes, at phone and desktop width,
// with and without scripts.
//
// SCENARIO_DATA: { instanceName, processTitle } (a published process the Rust side created).

import { assert, checkA11y, expectH1, newPage, scenario, screenshot, visit } from '../lib/index.mjs';

scenario(async ({ data }) => {
  for (const [viewport, javaScriptEnabled] of [[1280, true], [360, false]]) {
    const page = await newPage({ viewport, javaScriptEnabled });
    await visit(page, '/');
    await expectH1(page, 'Processes');
    assert.equal((await page.locator('header .brand').innerText()).trim(), data.instanceName, 'the instance is named in the header');
    assert.ok(
      await page.getByRole('link', { name: data.processTitle }).isVisible(),
      `the front page links the published process ${JSON.stringify(data.processTitle)}`,
    );
    await checkA11y(page, `home ${viewport}px${javaScriptEnabled ? '' : ' no-js'}`);
    await screenshot(page, 'home');
  }
});
