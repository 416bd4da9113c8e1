// Drives VS Code (code-server) in Debian's Chromium with playwright-core: opens the test
// workspace and its Dockerfile, and records what a user sees from the Dockside extension.
// tests/editors.rs starts code-server, runs this, and asserts on the JSON report.
//
// Environment:
//   CS_URL        code-server's address, e.g. http://127.0.0.1:41234
//   WORKSPACE     the folder to open
//   OUT_DIR       where screenshots go
//   REPORT        where the JSON report goes
//   CHECK_HOVER   "1": hover on the FROM image and record the text
//   ACTION_TITLE  a code action title: find it in the light-bulb menu of line 10, apply it
//                 and record line 10 afterwards
// Exits 1 (with `error` in the report) when a step fails.
'use strict';
const fs = require('fs');
const path = require('path');
const { chromium } = require('playwright-core');

const env = (name) => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
};
const OUT_DIR = env('OUT_DIR');
const REPORT = env('REPORT');
const report = { screenshots: [] };
const STEP_TIMEOUT = 60000;

let page;
async function shot(name) {
  const file = path.join(OUT_DIR, `${name}.png`);
  await page.screenshot({ path: file });
  report.screenshots.push(file);
}

/** The rendered text of each editor line, in line order (Monaco orders the DOM by reuse). */
async function editorLines() {
  return page.$$eval('.monaco-editor .view-lines .view-line', (lines) =>
    lines
      .map((line) => ({ top: parseFloat(line.style.top || '0'), text: line.textContent.replace(/\u00a0/g, ' ') }))
      .sort((a, b) => a.top - b.top)
      .map((line) => line.text),
  );
}

/** The screen box of `needle` inside the editor line whose text starts with `linePrefix`. */
async function textBox(linePrefix, needle) {
  return page.evaluate(
    ({ linePrefix, needle }) => {
      const lines = [...document.querySelectorAll('.monaco-editor .view-lines .view-line')];
      const line = lines.find((l) => l.textContent.replace(/\u00a0/g, ' ').startsWith(linePrefix));
      if (!line) return null;
      const walker = document.createTreeWalker(line, NodeFilter.SHOW_TEXT);
      let offset = line.textContent.indexOf(needle);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        if (offset < node.textContent.length) {
          const range = document.createRange();
          range.setStart(node, offset);
          range.setEnd(node, Math.min(node.textContent.length, offset + needle.length));
          const r = range.getBoundingClientRect();
          return { x: r.x, y: r.y, width: r.width, height: r.height };
        }
        offset -= node.textContent.length;
      }
      return null;
    },
    { linePrefix, needle },
  );
}

async function openFile(name) {
  await page.keyboard.press('Control+P');
  await page.waitForSelector('.quick-input-widget', { state: 'visible', timeout: STEP_TIMEOUT });
  await page.keyboard.type(name);
  // Quick Open lists Dockerfile.prod too: pick the row whose file name is exactly `name`.
  const row = page
    .locator('.quick-input-list .monaco-list-row')
    .filter({ has: page.locator('.label-name', { hasText: new RegExp(`^${name.replace('.', '\\.')}$`) }) })
    .first();
  await row.waitFor({ state: 'visible', timeout: STEP_TIMEOUT });
  await row.click();
  await page.waitForSelector(`.tab.active[aria-label^="${name}"]`, { timeout: STEP_TIMEOUT });
  await page.waitForSelector('.monaco-editor .view-lines', { timeout: STEP_TIMEOUT });
}

async function run() {
  fs.mkdirSync(OUT_DIR, { recursive: true });
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  try {
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(`${env('CS_URL')}/?folder=${encodeURIComponent(env('WORKSPACE'))}`);
    await page.waitForSelector('.monaco-workbench', { timeout: STEP_TIMEOUT });
    await page.waitForTimeout(2000);
    await shot('01-workbench');

    await openFile('Dockerfile');
    report.language = await page.locator('.statusbar-item[id="status.editor.mode"]').innerText({ timeout: STEP_TIMEOUT });

    // Dockside's warnings: the squiggles, then the Problems panel.
    await page.waitForSelector('.monaco-editor .squiggly-warning', { timeout: STEP_TIMEOUT });
    report.squiggles = {
      warning: await page.locator('.monaco-editor .squiggly-warning').count(),
      error: await page.locator('.monaco-editor .squiggly-error').count(),
    };
    // The breadcrumbs come from the document symbols once the cursor is in a stage.
    await page.waitForSelector('.breadcrumbs-control .monaco-breadcrumb-item:nth-child(3)', { timeout: STEP_TIMEOUT });
    report.breadcrumbs = (await page.locator('.breadcrumbs-control').innerText()).replace(/\s+/g, ' ').trim();
    await shot('02-squiggles');
    await page.keyboard.press('Control+Shift+M');
    await page.waitForSelector('.markers-panel .monaco-list-row', { timeout: STEP_TIMEOUT });
    // Rows appear one by one: wait until the list stops growing.
    let rows = [];
    for (let i = 0; i < 20; i++) {
      const now = await page.$$eval('.markers-panel .monaco-list-row', (r) =>
        r.map((e) => {
          const severity = ['error', 'warning', 'info'].find((s) => e.querySelector(`.codicon-${s}`)) || 'none';
          return `${severity}: ${e.innerText.replace(/\s+/g, ' ').trim()}`;
        }),
      );
      if (now.length === rows.length && now.length > 1) break;
      rows = now;
      await page.waitForTimeout(250);
    }
    report.problems = rows;
    await shot('03-problems');

    if (process.env.CHECK_HOVER === '1') {
      const box = await textBox('FROM ', 'sdk');
      if (!box) throw new Error('no `sdk` on the FROM line');
      await page.mouse.move(box.x + 2, box.y + box.height / 2);
      await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
      const hover = page.locator('.monaco-hover:not(.hidden) .hover-contents').first();
      await hover.waitFor({ state: 'visible', timeout: STEP_TIMEOUT });
      await page.waitForTimeout(1000); // the hover fades in
      report.hover = (await hover.innerText()).trim();
      await shot('04-hover');
      await page.keyboard.press('Escape');
      await page.mouse.move(5, 5);
    }

    const title = process.env.ACTION_TITLE;
    if (title) {
      const box = await textBox('ENTRYPOINT ', 'dotnet');
      if (!box) throw new Error('no ENTRYPOINT line');
      await page.mouse.click(box.x + 2, box.y + box.height / 2);
      await page.keyboard.press('Control+.');
      const menu = page.locator('.action-widget .monaco-list-row');
      await menu.first().waitFor({ state: 'visible', timeout: STEP_TIMEOUT });
      report.actions = await menu.evaluateAll((r) => r.map((e) => e.innerText.replace(/\s+/g, ' ').trim()));
      await shot('05-code-actions');
      // Choose with the keyboard as a user does: a pointer-blocking overlay covers the menu
      // while it animates in, so clicks are unreliable.
      const focused = page.locator('.action-widget .monaco-list-row.focused');
      for (let i = 0; i < 12; i++) {
        const label = (await focused.count()) ? await focused.first().getAttribute('aria-label') : null;
        if (label === title) break;
        await page.keyboard.press('ArrowDown');
        await page.waitForTimeout(100);
      }
      const chosen = (await focused.count()) ? await focused.first().getAttribute('aria-label') : null;
      if (chosen !== title) throw new Error(`could not focus \`${title}\` in the light-bulb menu (focused: ${chosen})`);
      await page.keyboard.press('Enter');
      const fixed = 'ENTRYPOINT ["dotnet", "WebApp.dll"]';
      for (let i = 0; i < 100 && !(await editorLines()).includes(fixed); i++) await page.waitForTimeout(100);
      report.lines_after_action = await editorLines();
      await shot('06-after-code-action');
    }
  } catch (error) {
    try {
      if (page) await shot('99-failure');
    } catch (_) {
      // a screenshot of a broken page is only a nice-to-have
    }
    throw error;
  } finally {
    await browser.close();
  }
}

run()
  .then(() => {
    fs.writeFileSync(REPORT, JSON.stringify(report, null, 2));
  })
  .catch((error) => {
    report.error = String(error && error.stack ? error.stack : error);
    fs.writeFileSync(REPORT, JSON.stringify(report, null, 2));
    console.error('E2E FAIL', report.error);
    process.exit(1);
  });
