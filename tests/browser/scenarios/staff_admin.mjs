// The instance administrator's pages in a browser (issue 13, item 9): an admin installs a
// third-party plugin file through the upload form, after a WASI-importing file is refused with
// the server's own message, disables and enables it; finds an account and grants it an
// attribute (after a refused name); previews and imports a census. axe runs on every state,
// at 1280 and 360 px, in English, Spanish and French.
//
// SCENARIO_DATA: { adminToken, pluginPath, pluginSha, wasiPath, wasiSha, csvPath, personEmail }

import { assert, checkA11y, expectH1, newPage, scenario, screenshot, visit, submit } from '../lib/index.mjs';

const T = {
  en: { problem: 'There is a problem', install: 'Install plugin', file: 'Plugin file (.wasm)', sha: 'Expected SHA-256' },
  es: { problem: 'Hay un problema', install: 'Instalar el complemento', file: 'Archivo del complemento (.wasm)', sha: 'SHA-256 esperado' },
  fr: { problem: 'Il y a un problème', install: "Installer l'extension", file: "Fichier de l'extension (.wasm)", sha: 'SHA-256 attendu' },
};

const PAGES = ['/admin', '/admin/plugins', '/admin/accounts', '/admin/jobs', '/admin/census', '/admin/topics', '/admin/settings'];

scenario(async ({ data }) => {
  // The whole flow, in English at desktop width.
  {
    const state = (what) => `${what} en 1280px`;
    const page = await newPage({ viewport: 1280, lang: 'en', cookies: { lang: 'en', convene_access: data.adminToken } });
    await visit(page, '/admin');
    await expectH1(page, 'Instance administration');
    await checkA11y(page, state('admin home'));
    await screenshot(page, 'staff-admin-home-en');

    await visit(page, '/admin/plugins');
    await expectH1(page, 'Installed plugins');
    await checkA11y(page, state('plugins'));
    await screenshot(page, 'staff-admin-plugins-en');

    // A WASI-importing file: refused, the server's message at the file field.
    await page.getByLabel(T.en.file).setInputFiles(data.wasiPath);
    await page.getByLabel(T.en.sha).fill(data.wasiSha);
    await submit(page, T.en.install);
    assert.ok(await page.getByRole('heading', { level: 2, name: T.en.problem }).isVisible(), 'the error summary');
    const refusal = await page.locator('#file-error').innerText();
    assert.match(refusal, /outside the Convene activity world/, refusal);
    assert.match(refusal, /wasi:clocks/, refusal);
    await checkA11y(page, state('plugins wasi refused'));
    await screenshot(page, 'staff-admin-plugin-refused-en');

    // The third-party plugin: installed.
    await page.getByLabel(T.en.file).setInputFiles(data.pluginPath);
    await page.getByLabel(T.en.sha).fill(data.pluginSha);
    await submit(page, T.en.install);
    assert.match(page.url(), /\/admin\/plugins\/org\.example\.idea-box\?done=installed$/);
    assert.ok(await page.getByText('The plugin is installed and active.').isVisible());
    await checkA11y(page, state('plugin installed'));
    await screenshot(page, 'staff-admin-plugin-en');

    // Disable (with its confirmation), then enable.
    await Promise.all([page.waitForEvent('load'), page.getByRole('link', { name: 'Disable', exact: true }).click()]);
    await expectH1(page, 'Disable org.example.idea-box?');
    await checkA11y(page, state('plugin disable confirmation'));
    await screenshot(page, 'staff-admin-plugin-disable-en');
    await submit(page, 'Disable plugin');
    assert.ok(await page.getByText('The plugin is disabled.').isVisible());
    await checkA11y(page, state('plugin disabled'));
    await submit(page, 'Enable');
    assert.ok(await page.getByText('The plugin is enabled again.').isVisible());
    const status = await page.locator('dl.summary dd strong').first().innerText();
    assert.equal(status.trim(), 'Active');

    // Accounts: search, open, a refused attribute name, then granted.
    await visit(page, '/admin/accounts');
    await page.getByLabel('Email address contains').fill(data.personEmail.split('@')[0]);
    await submit(page, 'Search');
    await checkA11y(page, state('accounts search'));
    await screenshot(page, 'staff-admin-accounts-en');
    await Promise.all([page.waitForEvent('load'), page.getByRole('link', { name: data.personEmail }).click()]);
    await checkA11y(page, state('account'));
    await page.getByLabel('Attribute to grant').fill('Not Valid!');
    await submit(page, 'Grant attribute');
    assert.ok(await page.getByRole('heading', { level: 2, name: T.en.problem }).isVisible(), 'the error summary');
    await checkA11y(page, state('account attribute refused'));
    await page.getByLabel('Attribute to grant').fill('resident');
    await submit(page, 'Grant attribute');
    assert.ok(await page.getByText('The attribute is granted.').isVisible());
    assert.ok(await page.locator('code', { hasText: 'resident' }).isVisible());
    await checkA11y(page, state('account attribute granted'));
    await screenshot(page, 'staff-admin-account-en');

    // Census: preview, then import.
    await visit(page, '/admin/census');
    await checkA11y(page, state('census'));
    await page.getByLabel('Attribute the census grants').fill('resident');
    await page.getByLabel('CSV file').setInputFiles(data.csvPath);
    await submit(page, 'Show the first rows');
    await expectH1(page, 'Check the census before importing it');
    await checkA11y(page, state('census preview'));
    await screenshot(page, 'staff-admin-census-preview-en');
    await submit(page, 'Import 3 rows');
    await expectH1(page, 'Census imported');
    await checkA11y(page, state('census imported'));
    await screenshot(page, 'staff-admin-census-imported-en');

    for (const path of ['/admin/jobs', '/admin/topics', '/admin/settings']) {
      await visit(page, path);
      await checkA11y(page, state(path));
      await screenshot(page, `staff-admin-${path.split('/').pop()}-en`);
    }
    await page.context().close();
  }

  // Every page, and an install form with errors, at phone width and in each language.
  for (const [lang, viewport] of [['en', 360], ['es', 360], ['fr', 1280]]) {
    const t = T[lang];
    const state = (what) => `${what} ${lang} ${viewport}px`;
    const page = await newPage({ viewport, lang, cookies: { lang, convene_access: data.adminToken } });
    // The account's own language wins over the cookie: switch it as a person would.
    await visit(page, '/admin');
    await Promise.all([page.waitForEvent('load'), page.locator(`form.lang-switch button[lang="${lang}"]`).click()]);
    for (const path of [...PAGES, '/admin/plugins/org.example.idea-box', '/admin/plugins/org.example.idea-box/disable']) {
      await visit(page, path);
      const html = await page.locator('html').getAttribute('lang');
      assert.equal(html, lang, `${path} is in ${lang}`);
      await checkA11y(page, state(path));
      if (viewport === 360 && lang === 'en' && path === '/admin/plugins') await screenshot(page, 'staff-admin-plugins-en');
    }
    await visit(page, '/admin/plugins');
    await submit(page, t.install);
    assert.ok(await page.getByRole('heading', { level: 2, name: t.problem }).isVisible(), state('the error summary'));
    await checkA11y(page, state('plugins install errors'));
    if (lang !== 'en') await screenshot(page, `staff-admin-plugins-errors-${lang}`);
    await page.context().close();
  }
});
