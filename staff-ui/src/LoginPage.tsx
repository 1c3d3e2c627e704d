import { useState } from 'preact/hooks';
import { Button, Clock, LanguageSwitch, errorMessage } from '../../ui-kit/index.js';
import { t } from './messages.js';
import { signIn, signOutReason } from './session.js';

export function LoginPage() {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = async (e: Event) => {
    e.preventDefault();
    if (!username.trim() || !password) {
      setError(t('loginMissing'));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await signIn(username.trim(), password);
    } catch (err) {
      setError(errorMessage(err));
      setBusy(false);
    }
  };

  const notice = error ?? signOutReason.value;
  return (
    <div class="staff-login">
      <header class="staff-login__top">
        <div class="staff-brand">
          <span class="hh-emblem" aria-hidden="true">★</span>
          <span>{t('product')}</span>
        </div>
        <div class="staff-login__top-right">
          <LanguageSwitch />
          <Clock date={false} />
        </div>
      </header>
      <main class="staff-login__main">
        <form class="staff-login__card hh-card" onSubmit={(e) => void submit(e)} noValidate>
          <h1>{t('loginTitle')}</h1>
          <p class="staff-login__hint">{t('loginHint')}</p>
          {notice ? (
            <p class="hh-alert hh-alert--error" role="alert" data-testid="login-error">
              {notice}
            </p>
          ) : null}
          <label class="staff-field">
            <span>{t('username')}</span>
            <input
              name="username"
              autoComplete="username"
              autoFocus
              value={username}
              onInput={(e) => setUsername(e.currentTarget.value)}
              autoCapitalize="off"
              spellcheck={false}
            />
          </label>
          <label class="staff-field">
            <span>{t('password')}</span>
            <input name="password" type="password" autoComplete="current-password" value={password} onInput={(e) => setPassword(e.currentTarget.value)} />
          </label>
          <Button type="submit" size="lg" block disabled={busy}>
            {busy ? t('loggingIn') : t('login')}
          </Button>
        </form>
      </main>
    </div>
  );
}
