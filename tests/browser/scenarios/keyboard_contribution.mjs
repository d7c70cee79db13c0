// The whole contribution flow by keyboard alone, in a browser without JavaScript: Tab,
// Shift+Tab, arrow keys, Space and Enter, nothing clicked, nothing filled that Tab did not
// reach. The sign-in link's button, the skip link, the form (radios chosen with the arrow
// keys, text typed), sent with Enter; the error summary takes the focus, its link leads to
// the field, which takes the focus; corrected and sent again.
//
// SCENARIO_DATA: { link, activityId, activityTitle, tooLong, comment }

import { assert, checkA11y, expectH1, newPage, scenario, visit } from '../lib/index.mjs';
import { describe, focused, tabTo } from '../lib/keyboard.mjs';

scenario(async ({ data }) => {
  const page = await newPage({ viewport: 1280, javaScriptEnabled: false });
  const ring = (f) => assert.ok(f.ring, `the focus is visible on ${describe(f)}`);
  const press = async (key, navigates) => {
    if (navigates) await Promise.all([page.waitForNavigation(), page.keyboard.press(key)]);
    else await page.keyboard.press(key);
  };

  // The emailed link's page: Tab to its button, Enter.
  await visit(page, data.link);
  await checkA11y(page, 'sign-in link landing keyboard 1280px');
  ring(await tabTo(page, (f) => f.tag === 'BUTTON' && f.inForm === '/login/magic', "the sign-in link page's button"));
  await press('Enter', true);
  const me = await page.request.get('/api/v1/me');
  assert.equal(me.status(), 200, 'signed in by keyboard');

  // The activity: the skip link first, then into the form.
  const action = `/activities/${data.activityId}/contributions`;
  await visit(page, `/activities/${data.activityId}`);
  await expectH1(page, data.activityTitle);
  await checkA11y(page, 'activity page keyboard 1280px');
  await press('Tab');
  const skip = await focused(page);
  assert.equal(skip.cls, 'skip-link', 'the first Tab reaches the skip link');
  ring(skip);
  await press('Enter');
  assert.equal((await focused(page)).id, 'main', 'the skip link moves the focus to the content');

  // First try: Tab into the form, past the required choice, to the comment; too long.
  const priority = await tabTo(page, (f) => f.inForm === action, 'the form');
  assert.deepEqual([priority.type, priority.checked], ['radio', false], `the form starts with the unanswered choice: ${describe(priority)}`);
  ring(priority);
  const trust = await tabTo(page, (f) => f.name !== priority.name, 'the next question');
  assert.deepEqual([trust.type, trust.checked, trust.value], ['radio', true, ''], `Tab lands on the scale's chosen radio ("no answer"): ${describe(trust)}`);
  const comment = await tabTo(page, (f) => f.name !== trust.name, 'the comment');
  assert.equal(comment.tag, 'TEXTAREA', `then the comment: ${describe(comment)}`);
  ring(comment);
  await page.keyboard.type(data.tooLong);
  const send = await tabTo(page, (f) => f.tag === 'BUTTON', 'the Send button');
  assert.equal(send.text, 'Send');
  ring(send);
  await press('Enter', true);

  // The error summary has the focus; its first link leads to the choice, which takes it.
  const summary = await focused(page);
  assert.ok(summary.cls.includes('error-summary'), `the error summary has the focus, not ${describe(summary)}`);
  ring(summary);
  await checkA11y(page, 'activity page with errors keyboard 1280px');
  const first = await tabTo(page, (f) => f.tag === 'A', 'the first link of the summary', { max: 1 });
  assert.equal(first.href, `#${priority.id}`, `the summary's first link leads to the choice: ${describe(first)}`);
  ring(first);
  await press('Enter');
  const landed = await focused(page);
  assert.equal(landed.id, priority.id, `following the link puts the focus on the field: ${describe(landed)}`);
  ring(landed);
  assert.equal(await page.locator(`#${priority.id}`).getAttribute('aria-invalid'), 'true');

  // Choose with the arrow keys and Space: Down moves to the second choice and picks it, Up
  // back to the first, Space confirms it.
  await press('ArrowDown');
  const second = await focused(page);
  assert.ok(second.checked && second.id !== priority.id, `ArrowDown picks the next choice: ${describe(second)}`);
  await press('ArrowUp');
  await press('Space');
  const chosen = await focused(page);
  assert.ok(chosen.id === priority.id && chosen.checked, `ArrowUp and Space pick the first choice: ${describe(chosen)}`);

  // The scale: Tab lands on "no answer"; Up picks the highest point.
  await press('Tab');
  const scale = await focused(page);
  assert.equal(scale.name, trust.name, `Tab goes on to the scale: ${describe(scale)}`);
  await press('ArrowUp');
  const five = await focused(page);
  assert.ok(five.checked && five.value === '5', `ArrowUp picks 5: ${describe(five)}`);

  // The comment: what was typed is there; replaced; then Send with Enter.
  await press('Tab');
  const again = await focused(page);
  assert.equal(again.tag, 'TEXTAREA');
  assert.equal(again.value.trim(), data.tooLong, 'what was typed was kept');
  await press('ControlOrMeta+A');
  await page.keyboard.type(data.comment);
  await tabTo(page, (f) => f.tag === 'BUTTON' && f.text === 'Send', 'the Send button');
  await press('Enter', true);

  // Received: the note has the focus, and says what was sent.
  const url = new URL(page.url());
  assert.ok(url.searchParams.has('received'), `sent: at ${page.url()}`);
  const note = await focused(page);
  assert.equal(note.id, 'received', `the note that it was received has the focus: ${describe(note)}`);
  assert.ok(note.text.includes(data.comment), note.text);
  assert.ok(note.text.includes('Health') && note.text.includes('5'), `with the choices: ${note.text}`);
  await checkA11y(page, 'activity page with success keyboard 1280px');
});
