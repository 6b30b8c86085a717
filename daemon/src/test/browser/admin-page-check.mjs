// Drives Debian's chromium (through playwright-core) over maintd's admin page, against real
// maintd processes that AdminPageIT started. Every wait is for a condition, bounded by a
// deadline; nothing asserts how long anything took. Prints one line per check; exits 1 at the
// first failure, with what the page showed.
//
// Environment (set by AdminPageIT):
//   ADMIN_URL      admin page of a maintd with admin.token = TOKEN
//   PROXY_URL      that maintd's proxy port
//   READONLY_URL   admin page of a maintd without admin.token
//   TOKEN          that token
//   FLAGCTL        bin/flagctl
//   FLAGS_FILE     the flag file of the ADMIN_URL maintd
//   SCREENSHOT     where to write the page's screenshot (docs/img/admin.png)
import { chromium } from 'playwright-core';
import { execFileSync } from 'node:child_process';
import http from 'node:http';

const env = (name) => {
  const value = process.env[name];
  if (!value) throw new Error(name + ' is not set');
  return value;
};
const ADMIN_URL = env('ADMIN_URL');
const PROXY_URL = env('PROXY_URL');
const READONLY_URL = env('READONLY_URL');
const TOKEN = env('TOKEN');
const FLAGCTL = env('FLAGCTL');
const FLAGS_FILE = env('FLAGS_FILE');
const SCREENSHOT = env('SCREENSHOT');
/** A safety net for conditions that hold within a second or two; never a measurement. */
const DEADLINE_MS = 30_000;

function flagctl(...args) {
  return execFileSync(FLAGCTL, ['--file', FLAGS_FILE, ...args], { encoding: 'utf8' });
}

function check(condition, what) {
  if (!condition) throw new Error('check failed: ' + what);
  console.log('ok - ' + what);
}

async function polls(page) {
  return Number(await page.evaluate(() => document.body.dataset.polls));
}

/** Waits until the page has finished `count` more polls than now: the next render after one of them started later. */
async function pollsPast(page, count) {
  const start = await polls(page);
  await page.waitForFunction((n) => Number(document.body.dataset.polls) >= n, start + count, { timeout: DEADLINE_MS });
}

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  // What this machine's chromium needs (see the environment notes): no sandbox as root, and no
  // background traffic to Google's hosts on a closed network.
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'],
});
const attacker = http.createServer((request, response) => {
  // A page on another origin that tries to flip maint on the admin port, as a CSRF would: a form
  // post (the one cross-site request a browser sends without asking) and a no-cors fetch.
  response.writeHead(200, { 'Content-Type': 'text/html' });
  response.end(`<!doctype html><form id=f method=post action="${ADMIN_URL}/actions/set" enctype="application/x-www-form-urlencoded">
    <input name=flag value=maint><input name=value value=1></form>
    <script>
      fetch(${JSON.stringify(ADMIN_URL + '/actions/set')}, { method: 'POST', mode: 'no-cors',
        body: new URLSearchParams({ flag: 'maint', value: '1' }) })
        .finally(() => { document.title = 'fetched'; document.getElementById('f').submit(); });
    </script>`);
});
await new Promise((resolve) => attacker.listen(0, '127.0.0.1', resolve));

try {
  // 1. It renders the flags and the mode.
  const desktop = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await desktop.newPage();
  await page.goto(ADMIN_URL + '/');
  await page.waitForSelector('#flags tr[data-flag="maint"]', { timeout: DEADLINE_MS });
  check(await page.textContent('#mode') === 'ready', 'the page shows mode ready');
  for (const flag of ['maint', 'drain', 'shed', 'weight', 'conns', 'inflight', 'requests']) {
    check(await page.locator(`#flags tr[data-flag="${flag}"]`).count() === 1, `the flags table has ${flag}`);
  }
  check(await page.getAttribute('body', 'data-poll-ms') === '1000', 'the page polls every second');
  check(await page.getAttribute('#noticed', 'data-state') === 'pending', 'it says no balancer has been told yet');

  // 2. A flagctl set made outside shows up within two polls: one may have started before the
  // write, the next starts after it. The page polls once a second, so that is within 2 s.
  const setAt = Date.now();
  flagctl('set', 'maint', '1', '--reason', 'outside the page');
  const pollsAtSet = await polls(page);
  await page.waitForFunction(() => document.querySelector('#mode').textContent === 'maint', null, { timeout: DEADLINE_MS });
  const shownAt = Date.now();
  const pollsToShow = (await polls(page)) - pollsAtSet;
  check(pollsToShow <= 2, `an outside flagctl set maint 1 shows as mode maint within two polls (${pollsToShow})`);
  check(await page.getAttribute('#flags tr[data-flag="maint"]', 'data-value') === '1', 'and as maint = 1 in the table');
  check((await page.textContent('#why')).includes('maint = 1'), 'and the why names the flag');
  console.log(`# shown ${shownAt - setAt} ms after flagctl set returned (measured, not asserted)`);

  // 3. With the token, a flip from the page works and lands in flagctl log as the page's.
  check(await page.isVisible('#actions-card'), 'with admin.token the actions are there');
  await page.fill('#token', TOKEN);
  await page.click('#unlock button');
  await page.fill('#reason', 'from the browser test');
  await page.fill('#for', '10m');
  check(!(await page.isVisible('#unlock')), 'once unlocked the token field is gone');
  await page.click('#controls button[data-flag="maint"][data-value="0"]');
  await page.waitForFunction(() => document.querySelector('#action-result').textContent.startsWith('maint: 1 → 0'),
    null, { timeout: DEADLINE_MS });
  check(flagctl('get', 'maint').trim() === '0', 'the page set maint 0');
  const entries = flagctl('--json', 'log', '-n', '5').trim().split('\n').map((line) => JSON.parse(line));
  const mine = entries.filter((e) => e.writer === 'admin-page' && e.flag === 'maint' && e.new === 0);
  check(mine.length === 1, 'flagctl log has the page\'s write: ' + JSON.stringify(entries.at(-1)));
  check(mine[0].reason === 'from the browser test' && /^127\.0\.0\.1:\d+$/.test(mine[0].client),
    'with the reason and the client address');
  check(mine[0].expires === null, 'switching off is never timed, whatever "On for" says');
  // Some traffic for the chart in the screenshot: a bounded burst through the proxy.
  for (let i = 0; i < 60; i++) {
    await fetch(PROXY_URL + '/').then((r) => r.arrayBuffer());
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  await page.click('#controls button[data-flag="drain"][data-value="1"]');
  await page.waitForFunction(() => document.querySelector('#action-result').textContent.startsWith('drain: 0 → 1'),
    null, { timeout: DEADLINE_MS });
  await pollsPast(page, 2);
  check(await page.textContent('#mode') === 'drain', 'the page shows its own drain');
  await page.screenshot({ path: SCREENSHOT, fullPage: true });
  console.log('# screenshot ' + SCREENSHOT);

  // 4. A page on another origin cannot flip anything, even in the browser that holds the token.
  const forged = await desktop.newPage();
  const { port } = attacker.address();
  await forged.goto(`http://127.0.0.1:${port}/`);
  await forged.waitForLoadState('load');
  await forged.waitForURL(/actions\/set/, { timeout: DEADLINE_MS }); // the form went; its answer is shown
  check((await forged.textContent('body')).includes('cross-site request refused'), 'a cross-site form post is refused: '
    + (await forged.textContent('body')).trim());
  check(flagctl('get', 'maint').trim() === '0', 'and maint is still 0');

  // 5. On a phone the page fits the screen and the buttons are thumb-sized.
  const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  const small = await phone.newPage();
  await small.goto(ADMIN_URL + '/');
  await small.waitForSelector('#flags tr[data-flag="maint"]', { timeout: DEADLINE_MS });
  const overflow = await small.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  check(overflow <= 0, `on a 390 px phone nothing overflows sideways (${overflow} px)`);
  await small.fill('#token', TOKEN);
  await small.click('#unlock button');
  const heights = await small.$$eval('#controls button[data-flag]', (buttons) => buttons.map((b) => b.getBoundingClientRect().height));
  check(heights.length === 4 && heights.every((h) => h >= 44), 'the four switches are at least 44 px tall: ' + heights);

  // 6. Without admin.token the page is read-only, and a forged POST is refused.
  const readonly = await desktop.newPage();
  await readonly.goto(READONLY_URL + '/');
  await readonly.waitForSelector('#flags tr[data-flag="maint"]', { timeout: DEADLINE_MS });
  await pollsPast(readonly, 1);
  check(!(await readonly.isVisible('#actions-card')), 'without admin.token there are no actions');
  check(!(await readonly.isVisible('button[data-flag]')), 'and no switch is visible');
  const refused = await fetch(READONLY_URL + '/actions/set', {
    method: 'POST', headers: { Authorization: 'Bearer ' + TOKEN },
    body: new URLSearchParams({ flag: 'maint', value: '1' }),
  });
  check(refused.status === 403, 'a POST to the read-only page is refused with 403 even with a token');
  const anonymous = await fetch(ADMIN_URL + '/actions/set', { method: 'POST', body: new URLSearchParams({ flag: 'maint', value: '1' }) });
  check(anonymous.status === 401, 'a POST without the token is refused with 401');
  check(flagctl('get', 'maint').trim() === '0', 'maint is still 0');
  console.log('all checks passed');
} finally {
  attacker.close();
  await browser.close();
}
