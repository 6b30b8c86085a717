// The maintd admin page: polls /status?history once a second and redraws; with admin.token set,
// its buttons POST to /actions/set with the token as a bearer header. Plain DOM, no library:
// every text from the server goes through textContent, never HTML.
'use strict';

const POLL_MS = Number(document.body.dataset.pollMs);
const TOKEN_KEY = 'maintd-admin-token';
const $ = (id) => document.getElementById(id);

function el(tag, text, className) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = String(text);
  if (className) node.className = className;
  return node;
}

function ago(iso, now) {
  if (!iso) return 'never';
  return span(now - Date.parse(iso)) + ' ago';
}

function span(ms) {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return s + 's';
  if (s < 3600) return Math.floor(s / 60) + 'm' + (s % 60 ? (s % 60) + 's' : '');
  if (s < 86400) return Math.floor(s / 3600) + 'h' + (Math.floor(s / 60) % 60 ? Math.floor(s / 60) % 60 + 'm' : '');
  return Math.floor(s / 86400) + 'd' + (Math.floor(s / 3600) % 24 ? Math.floor(s / 3600) % 24 + 'h' : '');
}

function until(iso, now) {
  const left = Date.parse(iso) - now;
  return left >= 0 ? 'in ' + span(left) : 'overdue ' + span(-left);
}

function renderMode(status, now) {
  const mode = $('mode');
  mode.textContent = status.mode;
  mode.dataset.mode = status.mode;
  document.title = 'maintd: ' + status.mode;
  const why = $('why');
  why.replaceChildren();
  const w = status.why;
  for (const window of status.windows) {
    why.append(el('p', 'Scheduled: ' + window.name + ' = ' + window.value + ' from ' + new Date(window.starts_at).toLocaleString()
      + ' (' + until(window.starts_at, now) + ') until ' + new Date(window.ends_at).toLocaleString() + '.', 'window'));
  }
  if (status.backend_down) {
    why.append(el('p', 'The default backend has no server up (' + status.backend_down + '): /healthz and the agent say down.'));
  }
  if (!w) {
    why.append('Ready: neither maint nor drain is set, and the instance is not shutting down.');
    return;
  }
  if (w.name) {
    why.append(el('strong', w.name + ' = ' + w.value),
      ' set ' + ago(w.updated_at, now) + ' (' + new Date(w.updated_at).toLocaleString() + ') by pid ' +
      w.writer_pid + ', uid ' + w.writer_uid + '. ');
    why.append(w.expires_at
      ? 'Reverts to ' + w.revert_value + ' ' + until(w.expires_at, now) + ' (' + new Date(w.expires_at).toLocaleString() + ').'
      : 'No expiry: it stays until someone changes it.');
  }
  if (w.shutdown) why.append(el('p', 'The daemon is shutting down: it drains whatever the flags say.'));
}

function renderFlags(flags, now) {
  const rows = flags.map((f) => {
    const tr = el('tr', null, f.kind);
    tr.dataset.flag = f.name;
    tr.dataset.value = f.value;
    tr.append(el('td', f.name), el('td', f.value, 'value'), el('td', f.kind), el('td', ago(f.updated_at, now)),
      el('td', f.writer_pid ? 'pid ' + f.writer_pid + ', uid ' + f.writer_uid : '–'),
      el('td', f.expires_at ? until(f.expires_at, now) + ' → ' + f.revert_value : '–'));
    return tr;
  });
  $('flags').replaceChildren(...rows);
}

function renderBackends(backends, now) {
  $('backends').replaceChildren(...backends.map((b) => {
    const li = el('li');
    li.append(el('strong', b.name + (b.default ? ' (default)' : '')), ' ',
      el('span', b.servers_up + '/' + b.servers.length + ' up · check ' + b.check, 'muted small'));
    const servers = el('ul', null, 'plain');
    for (const s of b.servers) {
      const up = s.state === 'up';
      const item = el('li');
      item.append(el('span', null, up ? 'dot' : 'dot down'),
        s.server + ' ' + s.state + ' since ' + ago(s.since, now) + (!up && s.reason ? ': ' + s.reason : ''));
      servers.append(item);
    }
    li.append(servers);
    return li;
  }));
}

const NOTICED_TEXT = {
  noticed: 'Every load balancer has been told ',
  pending: 'Not every load balancer has been told ',
  'no-balancer': 'No load balancer probes this instance; nobody to tell ',
};

function renderNoticed(noticed, now) {
  const line = $('noticed');
  line.dataset.state = noticed.state;
  line.textContent = NOTICED_TEXT[noticed.state] + noticed.mode + ' (since ' + ago(noticed.mode_since, now) + ').';
  $('balancers').replaceChildren(...noticed.balancers.map((b) => {
    const item = el('li');
    item.append(el('span', null, b.noticed ? 'dot' : 'dot down'),
      b.address + ' (' + b.via + '): told ' + b.answered + ' ' + ago(b.last_probe_at, now));
    return item;
  }));
}

function renderTraffic(status) {
  $('inflight').textContent = status.counters.inflight;
  $('conns').textContent = status.counters.conns;
  $('rps').textContent = status.requests_per_second;
  const h = status.history;
  if (!h) return;
  const peaks = [];
  for (const [series, id] of [[h.inflight, 'line-inflight'], [h.conns, 'line-conns'], [h.rps, 'line-rps']]) {
    const peak = Math.max(1, ...series);
    peaks.push(peak);
    const start = 300 - series.length;
    $(id).setAttribute('points', series.map((v, i) => (start + i) + ',' + (98 - (v / peak) * 96).toFixed(1)).join(' '));
  }
  $('peaks').textContent = 'peaks ' + peaks.join(' / ');
}

function renderAudit(lines) {
  $('audit').replaceChildren(...lines.slice().reverse().map((line) => el('li', line)));
}

function render(status) {
  const now = Date.now();
  renderMode(status, now);
  renderFlags(status.flags, now);
  renderBackends(status.backends, now);
  renderNoticed(status.noticed, now);
  renderTraffic(status);
  renderAudit(status.audit);
  $('instance').textContent = 'pid ' + status.pid + ' · up ' + span(status.uptime_ms) + ' · config generation ' +
    status.config_generation + ' · ' + status.flags_file;
  $('actions-card').hidden = !status.actions;
  if (status.actions) showControls();
}

async function poll() {
  try {
    const response = await fetch('/status?history', { cache: 'no-store' });
    if (!response.ok) throw new Error('HTTP ' + response.status);
    render(await response.json());
    $('freshness').textContent = 'live';
    $('freshness').className = 'muted';
  } catch (e) {
    $('freshness').textContent = 'not updating: ' + e.message;
    $('freshness').className = 'stale';
  } finally {
    document.body.dataset.polls = Number(document.body.dataset.polls) + 1;
    setTimeout(poll, POLL_MS);
  }
}

function showControls() {
  const unlocked = sessionStorage.getItem(TOKEN_KEY) !== null;
  $('unlock').hidden = unlocked;
  $('controls').hidden = !unlocked;
}

function say(text, error) {
  const result = $('action-result');
  result.textContent = text;
  result.className = error ? 'error' : '';
}

async function act(flag, value) {
  const token = sessionStorage.getItem(TOKEN_KEY);
  const form = new URLSearchParams({ flag, value: String(value) });
  // "On for" bounds switching something on; switching off is never timed, or it would come back on.
  if (Number(value) > 0 && $('for').value.trim()) form.set('for', $('for').value.trim());
  if ($('reason').value.trim()) form.set('reason', $('reason').value.trim());
  const buttons = document.querySelectorAll('#controls button');
  buttons.forEach((b) => { b.disabled = true; });
  try {
    const response = await fetch('/actions/set', {
      method: 'POST', body: form, cache: 'no-store', headers: { Authorization: 'Bearer ' + token },
    });
    const text = await response.text();
    if (response.status === 401) {
      sessionStorage.removeItem(TOKEN_KEY);
      showControls();
    }
    if (!response.ok) {
      say(text.trim(), true);
      return;
    }
    const done = JSON.parse(text);
    say(done.flag + ': ' + done.old + ' → ' + done.new + (done.expires_at ? ' until ' + new Date(done.expires_at).toLocaleString() : ''));
  } catch (e) {
    say('not sent: ' + e.message, true);
  } finally {
    buttons.forEach((b) => { b.disabled = false; });
  }
}

$('unlock').addEventListener('submit', (event) => {
  event.preventDefault();
  const token = $('token').value.trim();
  if (!token) return;
  sessionStorage.setItem(TOKEN_KEY, token);
  $('token').value = '';
  say('');
  showControls();
});
$('lock').addEventListener('click', () => {
  sessionStorage.removeItem(TOKEN_KEY);
  showControls();
});
document.querySelectorAll('#controls button[data-flag]').forEach((button) => {
  button.addEventListener('click', () => act(button.dataset.flag, button.dataset.value));
});
$('shed-set').addEventListener('click', () => act('shed', $('shed').value));
poll();
