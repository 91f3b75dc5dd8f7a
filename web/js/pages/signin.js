/** Sign in: the session token is kept in this tab only (sessionStorage) and ends with the session. */
import { api, startPage, t } from '../core.js';

startPage(() => {
  const form = /** @type {HTMLFormElement} */ (document.getElementById('signin'));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const f = /** @type {any} */ (form.elements);
    const res = await api('POST', '/api/session', { userId: f.userId.value.trim(), password: f.password.value });
    if (!res.ok) { document.getElementById('signin-error').textContent = res.status === 401 ? t('signInFailed') : res.data.detail; return; }
    sessionStorage.setItem('redress-session', JSON.stringify({ token: res.data.token, user: res.data.user }));
    // Administrators and auditors may read decrypted payloads in the Temporal UI: its codec calls carry this cookie.
    if (['administrator', 'auditor'].includes(res.data.user.role)) await api('POST', '/codec/session');
    const role = res.data.user.role;
    location.href = role === 'provider' ? '/provider' : ['investigator', 'prosecutor', 'documenting_organisation'].includes(role) ? '/incidents' : '/claims';
  });
}, { public: true });
