// The browser-test library: import what a scenario needs from here.
//
//   import { scenario, newPage, visit, checkA11y, screenshot, expectH1 } from '../lib/index.mjs';
//   scenario(async ({ data }) => {
//     const page = await newPage({ viewport: 360, lang: 'es' });
//     await visit(page, `/processes/${data.slug}`);
//     await checkA11y(page, 'process 360px es');
//     await screenshot(page, 'process-es');
//   });

export { scenario } from './scenario.mjs';
export { launch, newPage, CHROMIUM } from './browser.mjs';
export { checkA11y, WCAG_TAGS } from './a11y.mjs';
export { screenshot } from './screenshot.mjs';
export { assert, visit, expectH1, expectPath, expectCookie, expectLang, expectNoSidewaysScroll, submit } from './expect.mjs';
export { env } from './env.mjs';
export { checkWeight, BUDGET } from './weight.mjs';
export * as mail from './mail.mjs';
