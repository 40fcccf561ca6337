/**
 * The instructor's dashboard (`GET /instructor?token=…`): one page, no build step, that opens
 * `/instructor/ws` with the same token and draws each `class` message (class-activity.ts):
 *
 *   a row per learner        named by the roster (a learner on the shared token: their session's first
 *                            8 characters); connected or not, lesson, last run's state, the last error
 *                            and how many times in a row it came, the last check's points with the
 *                            `streamlab grade` seeds that reproduce it, how many checks, time since
 *                            the learner last made progress, and whether they are stuck
 *   step and time            the step of the lesson the learner's workbench shows ("3/8", titled), for how
 *                            long, and the time spent: how long a socket of theirs was open in all
 *   code                     "View code" opens the learner's current code read-only (the editor's, or
 *                            the last Run's, Check's or export's), from `/instructor/code` with the
 *                            same token, beside their last check; it follows the learner's edits
 *   stuck                    no progress for N minutes (N on the page, default 10), or the same error
 *                            M times in a row since the last progress (default 3); "Only stuck"
 *                            hides the others
 *   groups by plan           per lesson, the learners whose last check built the same canonical plans:
 *                            how many, who, the checks all of them pass, and one representative plan;
 *                            pairs of a group whose checked code is near-identical once normalised are
 *                            flagged as possible copies, and "Side by side" shows both checked codes;
 *                            "Comment to this group" sends one comment on the socket to every learner of
 *                            the group (refused when the group changed meanwhile), shown in their workbench
 */
export const INSTRUCTOR_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Streamlab · class</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
  body { font: 14px/1.4 system-ui, sans-serif; margin: 2rem; color: #1d2330; background: #fafbfc; }
  h1 { font-size: 1.3rem; margin: 0 0 .25rem; }
  h2 { font-size: 1.1rem; margin: 2rem 0 .5rem; }
  p.status { margin: 0 0 1rem; color: #5a6272; }
  form.filters { display: flex; flex-wrap: wrap; gap: .5rem 1.5rem; align-items: center; margin: 0 0 1rem; }
  form.filters input[type=number] { width: 4rem; }
  table { border-collapse: collapse; min-width: 44rem; background: #fff; }
  th, td { text-align: left; padding: .45rem .8rem; border-bottom: 1px solid #e3e6eb; vertical-align: top; }
  th { font-weight: 600; background: #f0f2f5; }
  td.learner { font-family: ui-monospace, monospace; }
  .on { color: #107c41; } .off { color: #8a8f99; }
  .failed, .error { color: #b42318; } .passed { color: #107c41; }
  .when { color: #5a6272; font-size: .9em; }
  .seeds { display: block; color: #5a6272; font: .8em ui-monospace, monospace; }
  .stuck-badge { background: #fde7e4; color: #b42318; border-radius: .3rem; padding: 0 .35rem; font-size: .85em; }
  section.lesson-groups { margin-bottom: 1.5rem; }
  div.group { background: #fff; border: 1px solid #e3e6eb; border-radius: .4rem; padding: .6rem .8rem; margin: .5rem 0; max-width: 60rem; }
  div.group pre { background: #f5f6f8; padding: .5rem; overflow-x: auto; font-size: .85em; }
  td.step .title { display: block; color: #5a6272; font-size: .85em; max-width: 16rem; }
  button.view-code { font: inherit; font-size: .9em; padding: .15rem .5rem; cursor: pointer; }
  dialog.code { width: min(60rem, 92vw); max-height: 85vh; border: 1px solid #c9ced6; border-radius: .5rem; padding: 1rem 1.25rem; }
  dialog.code h2 { margin: 0 0 .25rem; }
  dialog.code .file-path { font: 600 .9em ui-monospace, monospace; margin: 1rem 0 .25rem; }
  .copies { margin: .4rem 0; color: #8a4b00; }
  .copy-pair { display: inline-block; background: #fff4e0; border-radius: .3rem; padding: .1rem .4rem; margin: .1rem .3rem .1rem 0; }
  dialog.pair { width: min(90rem, 96vw); }
  dialog.pair .sides { display: grid; grid-template-columns: 1fr 1fr; gap: 1rem; }
  dialog.pair h3 { margin: .5rem 0 .25rem; font-size: 1rem; }
  dialog.code pre { background: #f5f6f8; padding: .6rem .8rem; overflow: auto; max-height: 50vh; font-size: .85em; margin: 0; }
</style></head>
<body>
<h1>Class</h1>
<p class="status" id="status">Connecting…</p>
<form class="filters" id="filters">
  <label><input type="checkbox" id="only-stuck"> Only stuck</label>
  <label>stuck after <input type="number" id="stuck-minutes" min="1" max="600" value="10"> min without progress</label>
  <label>or the same error <input type="number" id="stuck-errors" min="2" max="50" value="3"> times in a row</label>
</form>
<table><thead><tr><th>Learner</th><th>Connected</th><th>Lesson</th><th>Step</th><th>Last run</th><th>Last error</th><th>Last check</th><th>Checks</th><th>Time spent</th><th>Since progress</th><th>Code</th><th>Stuck</th></tr></thead>
<tbody id="rows"><tr><td colspan="12">No learner has connected yet.</td></tr></tbody></table>
<dialog class="code" id="code" aria-labelledby="code-title">
  <h2 id="code-title">Code</h2>
  <p class="status" id="code-about"></p>
  <p id="code-check"></p>
  <div id="code-files"></div>
  <form method="dialog"><button>Close</button></form>
</dialog>
<dialog class="code pair" id="pair" aria-labelledby="pair-title">
  <h2 id="pair-title">Possible copies</h2>
  <p class="status">The code each learner's last check of the lesson graded. Read-only.</p>
  <div class="sides"><div id="pair-a"></div><div id="pair-b"></div></div>
  <form method="dialog"><button>Close</button></form>
</dialog>
<dialog class="code" id="comment" aria-labelledby="comment-title">
  <h2 id="comment-title">Comment to the group</h2>
  <p class="status" id="comment-who"></p>
  <form id="comment-form">
    <textarea id="comment-text" rows="5" cols="70" maxlength="2000" required aria-label="Comment"></textarea>
    <p><button type="submit">Send to the group</button> <button type="button" id="comment-cancel">Close</button></p>
    <p class="status" id="comment-result" role="status"></p>
  </form>
</dialog>
<h2>Solutions grouped by plan</h2>
<div id="groups"><p>No check has built a plan yet.</p></div>
<script>
  const token = new URLSearchParams(location.search).get('token') || '';
  const rowsEl = document.getElementById('rows');
  const groupsEl = document.getElementById('groups');
  const statusEl = document.getElementById('status');
  const onlyStuck = document.getElementById('only-stuck');
  const stuckMinutes = document.getElementById('stuck-minutes');
  const stuckErrors = document.getElementById('stuck-errors');
  let students = [];
  let groups = [];
  const codeDialog = document.getElementById('code');
  /** The learner whose code the dialog shows, and the time of the code it shows. */
  let shownCode = null;
  const esc = (s) => String(s).replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]);
  const span = (at) => {
    const s = Math.max(0, Math.round((Date.now() - at) / 1000));
    return s < 60 ? s + ' s' : s < 3600 ? Math.floor(s / 60) + ' min' : Math.floor(s / 3600) + ' h ' + Math.floor((s % 3600) / 60) + ' min';
  };
  const ago = (at) => span(at) + ' ago';
  const name = (s) => s.student || s.learner.slice(0, 8);
  const spent = (s) => s.connectedMs + (s.connectedSince !== null ? Math.max(0, Date.now() - s.connectedSince) : 0);
  const duration = (ms) => span(Date.now() - ms);
  const FROM = { editor: 'the editor', run: 'a Run', check: 'a Check', export: 'an export' };
  const checkText = (c) => c.score + '/' + c.maxScore + ' points, ' + c.passed + ' of ' + c.total + ' checks';
  /** Why a learner is stuck (null when not): no progress for too long, or one error again and again since the last progress. */
  function stuck(s) {
    const minutes = Math.max(1, Number(stuckMinutes.value) || 10);
    const times = Math.max(2, Number(stuckErrors.value) || 3);
    if (s.error && s.error.times >= times && (s.progressAt === null || s.error.at >= s.progressAt)) return 'the same error ' + s.error.times + ' times';
    if (s.lastSeen !== null && Date.now() - (s.progressAt ?? s.lastSeen) >= minutes * 60000) return 'no progress for ' + span(s.progressAt ?? s.lastSeen);
    return null;
  }
  function draw() {
    const shown = students.filter((s) => !onlyStuck.checked || stuck(s));
    if (shown.length === 0) {
      rowsEl.innerHTML = '<tr><td colspan="12">' + (students.length === 0 ? 'No learner has connected yet.' : 'No learner is stuck.') + '</td></tr>';
    } else {
      rowsEl.innerHTML = shown.map((s) => {
        const run = s.run ? '<span class="' + esc(s.run.state) + '">' + esc(s.run.state) + '</span> <span class="when">' + ago(s.run.at) + '</span>' : '—';
        const error = s.error ? '<span class="error">' + esc(s.error.message.split('\\n')[0].slice(0, 120)) + '</span>' + (s.error.times > 1 ? ' ×' + s.error.times : '') + ' <span class="when">' + ago(s.error.at) + '</span>' : '—';
        const check = s.check
          ? '<span class="' + (s.check.passed === s.check.total ? 'passed' : 'failed') + '">' + checkText(s.check) + '</span> <span class="when">' + ago(s.check.at) + '</span>'
            + ' <span class="seeds">--lesson ' + esc(s.check.lessonId) + ' --seed ' + s.check.seed + (s.check.hiddenSeed !== null ? ' --hidden-seed ' + s.check.hiddenSeed : '') + '</span>'
          : '—';
        const why = stuck(s);
        const step = s.step && s.step.lessonId === s.lessonId
          ? (s.step.index + 1) + '/' + s.step.count + ' <span class="when">for ' + span(s.step.at) + '</span><span class="title">' + esc(s.step.title) + '</span>'
          : '—';
        const code = s.code ? '<button type="button" class="view-code" data-learner="' + esc(s.learner) + '">View code</button> <span class="when">' + ago(s.code.at) + '</span>' : '—';
        return '<tr data-learner="' + esc(s.learner) + '"' + (why ? ' class="stuck"' : '') + '><td class="learner">' + esc(name(s)) + '</td>'
          + '<td class="' + (s.connected ? 'on">● connected' : s.lastSeen === null ? 'off">○ not yet' : 'off">○ left') + '</td>'
          + '<td class="lesson">' + esc(s.lessonId || '—') + '</td><td class="step">' + step + '</td><td class="run">' + run + '</td><td class="last-error">' + error + '</td><td class="check">' + check + '</td>'
          + '<td class="checks">' + s.checks + '</td><td class="spent">' + (s.lastSeen !== null ? duration(spent(s)) : '—') + '</td>'
          + '<td class="progress">' + (s.progressAt !== null ? span(s.progressAt) : '—') + '</td><td class="code">' + code + '</td>'
          + '<td class="stuck-cell">' + (why ? '<span class="stuck-badge">stuck: ' + esc(why) + '</span>' : '') + '</td></tr>';
      }).join('');
    }
    const byLearner = new Map(students.map((s) => [s.learner, name(s)]));
    groupsEl.innerHTML = groups.length === 0 ? '<p>No check has built a plan yet.</p>' : groups.map((l) => {
      const n = l.groups.reduce((k, g) => k + g.students.length, 0);
      return '<section class="lesson-groups" data-lesson="' + esc(l.lessonId) + '"><h3>' + esc(l.lessonId) + ': ' + l.groups.length + (l.groups.length === 1 ? ' group' : ' groups') + ' of ' + n + '</h3>'
        + l.groups.map((g, i) => {
          const who = g.students.map((x) => byLearner.get(x) || x.slice(0, 8));
          const plans = Object.keys(g.plans).map((fn) => '<div>' + esc(fn) + ':</div><pre>' + esc(g.plans[fn]) + '</pre>').join('');
          const copies = (g.copies || []).map((p) => '<span class="copy-pair" data-a="' + esc(p.a) + '" data-b="' + esc(p.b) + '">' + esc(byLearner.get(p.a) || p.a.slice(0, 8)) + ' and ' + esc(byLearner.get(p.b) || p.b.slice(0, 8))
            + ', ' + Math.round(p.similarity * 100) + '% alike <button type="button" class="compare" data-lesson="' + esc(l.lessonId) + '" data-a="' + esc(p.a) + '" data-b="' + esc(p.b) + '">Side by side</button></span>');
          return '<div class="group" data-size="' + g.students.length + '"><strong>group ' + (i + 1) + ': ' + g.students.length + (g.students.length === 1 ? ' learner' : ' learners') + '</strong>: <span class="members">' + who.map(esc).join(', ') + '</span>'
            + '<div>points: ' + g.scores.join(', ') + ' of ' + g.maxScore + '; checks every one passes: ' + (g.passedByAll.length === 0 ? 'none' : esc(g.passedByAll.join(', '))) + '</div>'
            + (copies.length ? '<div class="copies">Possible copies (near-identical code once comments, layout, the starter lines and chosen names are set aside): ' + copies.join(' ') + '</div>' : '')
            + '<details><summary>representative plan</summary>' + plans + '</details>'
            + '<button type="button" class="comment-group" data-lesson="' + esc(l.lessonId) + '" data-students="' + esc(JSON.stringify(g.students)) + '">Comment to this group</button></div>';
        }).join('') + '</section>';
    }).join('');
  }
  /** Opens (or refreshes) the dialog with the learner's current code, read from the runtime with the instructor's token. */
  async function showCode(learner) {
    const s = students.find((x) => x.learner === learner);
    const res = await fetch('/instructor/code?token=' + encodeURIComponent(token) + '&learner=' + encodeURIComponent(learner));
    const body = await res.json();
    document.getElementById('code-title').textContent = 'Code of ' + (s ? name(s) : learner);
    const about = document.getElementById('code-about');
    const checkEl = document.getElementById('code-check');
    const filesEl = document.getElementById('code-files');
    if (!res.ok) {
      about.textContent = body.error;
      checkEl.textContent = '';
      filesEl.innerHTML = '';
      shownCode = { learner, at: null };
    } else {
      about.textContent = (body.lessonId ? 'Lesson ' + body.lessonId + ', from ' : 'From ') + FROM[body.from] + ', ' + ago(body.at) + '. Read-only.';
      checkEl.textContent = s && s.check ? 'Last check: ' + checkText(s.check) + ' (lesson ' + s.check.lessonId + ', ' + ago(s.check.at) + ').' : 'No check yet.';
      filesEl.innerHTML = body.files.map((f) => '<div class="file-path">' + esc(f.path) + '</div><pre aria-label="' + esc(f.path) + '"><code>' + esc(f.content) + '</code></pre>').join('');
      shownCode = { learner, at: body.at };
    }
    if (!codeDialog.open) codeDialog.showModal();
  }
  /** Shows the two learners' checked code of a lesson side by side. */
  async function showPair(lessonId, a, b) {
    const pairDialog = document.getElementById('pair');
    const side = async (learner, el) => {
      const res = await fetch('/instructor/code?token=' + encodeURIComponent(token) + '&learner=' + encodeURIComponent(learner) + '&lesson=' + encodeURIComponent(lessonId));
      const body = await res.json();
      const s = students.find((x) => x.learner === learner);
      el.innerHTML = '<h3>' + esc(s ? name(s) : learner) + '</h3>' + (res.ok
        ? body.files.map((f) => '<div class="file-path">' + esc(f.path) + '</div><pre aria-label="' + esc(f.path) + '"><code>' + esc(f.content) + '</code></pre>').join('')
        : '<p>' + esc(body.error) + '</p>');
    };
    document.getElementById('pair-title').textContent = 'Possible copies in lesson ' + lessonId;
    await Promise.all([side(a, document.getElementById('pair-a')), side(b, document.getElementById('pair-b'))]);
    if (!pairDialog.open) pairDialog.showModal();
  }
  let ws = null;
  const commentDialog = document.getElementById('comment');
  const commentText = document.getElementById('comment-text');
  const commentResult = document.getElementById('comment-result');
  /** The group the open comment goes to, as the page showed it. */
  let commentTo = null;
  let commentIds = 0;
  groupsEl.addEventListener('click', (e) => {
    const button = e.target.closest('button.compare');
    if (button) void showPair(button.getAttribute('data-lesson'), button.getAttribute('data-a'), button.getAttribute('data-b'));
    const commentButton = e.target.closest('button.comment-group');
    if (commentButton) {
      commentTo = { lessonId: commentButton.getAttribute('data-lesson'), students: JSON.parse(commentButton.getAttribute('data-students')) };
      const byLearner = new Map(students.map((s) => [s.learner, name(s)]));
      document.getElementById('comment-who').textContent = 'Lesson ' + commentTo.lessonId + ': ' + commentTo.students.map((x) => byLearner.get(x) || x.slice(0, 8)).join(', ') + '. Each of them sees it in their workbench.';
      commentText.value = '';
      commentResult.textContent = '';
      commentDialog.showModal();
    }
  });
  document.getElementById('comment-cancel').addEventListener('click', () => commentDialog.close());
  document.getElementById('comment-form').addEventListener('submit', (e) => {
    e.preventDefault();
    if (!commentTo || !ws || ws.readyState !== WebSocket.OPEN) {
      commentResult.textContent = 'Not connected: try again in a moment.';
      return;
    }
    ws.send(JSON.stringify({ kind: 'comment', id: 'c' + (++commentIds), lessonId: commentTo.lessonId, students: commentTo.students, text: commentText.value }));
    commentResult.textContent = 'Sending…';
  });
  rowsEl.addEventListener('click', (e) => {
    const button = e.target.closest('button.view-code');
    if (button) void showCode(button.getAttribute('data-learner'));
  });
  codeDialog.addEventListener('close', () => { shownCode = null; });
  for (const el of [onlyStuck, stuckMinutes, stuckErrors]) el.addEventListener('input', draw);
  document.getElementById('filters').addEventListener('submit', (e) => e.preventDefault());
  function connect() {
    ws = new WebSocket((location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/instructor/ws?token=' + encodeURIComponent(token));
    ws.onopen = () => { statusEl.textContent = 'Live'; };
    ws.onmessage = (e) => {
      const m = JSON.parse(e.data);
      if (m.kind === 'comment.ok') {
        const byLearner = new Map(students.map((s) => [s.learner, name(s)]));
        commentResult.textContent = 'Sent to ' + m.students.map((x) => byLearner.get(x) || x.slice(0, 8)).join(', ') + '.';
      } else if (m.kind === 'comment.error') commentResult.textContent = 'Not sent: ' + m.message;
      if (m.kind === 'class') {
        students = m.students;
        groups = m.groups || [];
        draw();
        // The open code follows the learner's edits.
        const s = shownCode && students.find((x) => x.learner === shownCode.learner);
        if (s && s.code && s.code.at !== shownCode.at) void showCode(s.learner);
      }
    };
    ws.onclose = () => { statusEl.textContent = 'Disconnected: reconnecting…'; setTimeout(connect, 2000); };
  }
  connect();
  setInterval(draw, 5000);
</script>
</body></html>
`;
