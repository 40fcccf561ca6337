/**
 * The instructor's dashboard (`GET /instructor?token=…`): one page, no build step, that opens
 * `/instructor/ws` with the same token and draws a row per learner session from each `class` message
 * (class-activity.ts): connected or not, lesson, last run's state, last check's points, and when.
 */
export const INSTRUCTOR_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Streamlab · class</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
  body { font: 14px/1.4 system-ui, sans-serif; margin: 2rem; color: #1d2330; background: #fafbfc; }
  h1 { font-size: 1.3rem; margin: 0 0 .25rem; }
  p.status { margin: 0 0 1rem; color: #5a6272; }
  table { border-collapse: collapse; min-width: 44rem; background: #fff; }
  th, td { text-align: left; padding: .45rem .8rem; border-bottom: 1px solid #e3e6eb; }
  th { font-weight: 600; background: #f0f2f5; }
  td.learner { font-family: ui-monospace, monospace; }
  .on { color: #107c41; } .off { color: #8a8f99; }
  .failed, .error { color: #b42318; } .passed { color: #107c41; }
  .when { color: #5a6272; font-size: .9em; }
</style></head>
<body>
<h1>Class</h1>
<p class="status" id="status">Connecting…</p>
<table><thead><tr><th>Learner</th><th>Connected</th><th>Lesson</th><th>Last run</th><th>Last check</th></tr></thead>
<tbody id="rows"><tr><td colspan="5">No learner has connected yet.</td></tr></tbody></table>
<script>
  const token = new URLSearchParams(location.search).get('token') || '';
  const rowsEl = document.getElementById('rows');
  const statusEl = document.getElementById('status');
  let students = [];
  const esc = (s) => String(s).replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]);
  const ago = (at) => {
    const s = Math.max(0, Math.round((Date.now() - at) / 1000));
    return s < 60 ? s + ' s ago' : Math.floor(s / 60) + ' min ago';
  };
  function draw() {
    if (students.length === 0) { rowsEl.innerHTML = '<tr><td colspan="5">No learner has connected yet.</td></tr>'; return; }
    rowsEl.innerHTML = students.map((s) => {
      const run = s.run ? '<span class="' + esc(s.run.state) + '">' + esc(s.run.state) + '</span> <span class="when">' + ago(s.run.at) + '</span>' : '—';
      const check = s.check
        ? '<span class="' + (s.check.passed === s.check.total ? 'passed' : 'failed') + '">' + s.check.score + '/' + s.check.maxScore + ' points, ' + s.check.passed + ' of ' + s.check.total + ' checks</span> <span class="when">' + ago(s.check.at) + '</span>'
        : '—';
      return '<tr data-session="' + esc(s.session) + '"><td class="learner">' + esc(s.session.slice(0, 8)) + '</td>'
        + '<td class="' + (s.connected ? 'on">● connected' : 'off">○ left') + '</td>'
        + '<td>' + esc(s.lessonId || '—') + '</td><td class="run">' + run + '</td><td class="check">' + check + '</td></tr>';
    }).join('');
  }
  function connect() {
    const ws = new WebSocket((location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/instructor/ws?token=' + encodeURIComponent(token));
    ws.onopen = () => { statusEl.textContent = 'Live'; };
    ws.onmessage = (e) => {
      const m = JSON.parse(e.data);
      if (m.kind === 'class') { students = m.students; draw(); }
    };
    ws.onclose = () => { statusEl.textContent = 'Disconnected: reconnecting…'; setTimeout(connect, 2000); };
  }
  connect();
  setInterval(draw, 5000);
</script>
</body></html>
`;
