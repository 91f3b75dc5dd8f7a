/** Import legacy court orders: upload a CSV, follow the import workflow live, see and download its problems. */
import { api, download, el, startPage, t, table } from '../core.js';

startPage(async () => {
  const form = /** @type {HTMLFormElement} */ (document.getElementById('import-form'));
  const file = /** @type {HTMLInputElement} */ (document.getElementById('import-file'));
  const error = /** @type {HTMLElement} */ (document.getElementById('import-error'));
  const follow = async (/** @type {string} */ id) => {
    history.replaceState(null, '', `?id=${id}`);
    for (;;) {
      const res = await api('GET', `/api/imports/${id}`);
      if (!res.ok) { error.textContent = res.data.detail ?? res.data.title; return; }
      const s = res.data;
      const bar = /** @type {HTMLProgressElement} */ (document.getElementById('import-progress'));
      bar.max = Math.max(1, s.toRegister); bar.value = s.registeredSoFar;
      document.getElementById('import-status').textContent = `${s.workflowStatus === 'completed' ? t('importDone') : t('importRunning')} ${s.registeredSoFar}/${s.toRegister} · `
        + `imported ${s.imported}, already registered ${s.alreadyRegistered}, rejected ${s.rejected}, duplicates ${s.duplicatesInFile}`;
      const get = el('button', { type: 'button', class: 'secondary' }, t('downloadProblems'));
      get.addEventListener('click', () => { void download(`/api/imports/${id}/problems.csv`, `import-${id}-problems.csv`); });
      document.getElementById('import-problems').replaceChildren(
        table([t('line'), t('column'), t('rule')], s.problemList.map((/** @type {any} */ p) => [String(p.line), p.column, p.rule]), { id: 'problems' }), s.problems ? get : '');
      if (s.workflowStatus !== 'running') return;
      await new Promise((r) => setTimeout(r, 500));
    }
  };
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    error.textContent = '';
    const chosen = file.files?.[0];
    if (!chosen) { error.textContent = t('file'); return; }
    const res = await api('POST', '/api/imports', undefined, { raw: await chosen.text(), type: 'text/csv' });
    if (!res.ok) { error.textContent = res.data.errors?.[0]?.rule ?? res.data.detail ?? res.data.title; return; }
    await follow(res.data.id);
  });
  const resume = new URLSearchParams(location.search).get('id');
  if (resume) await follow(resume);
}, { roles: ['administrator'] });
