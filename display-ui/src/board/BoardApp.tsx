/**
 * /display/board: the managers' live board. A manager or admin signs in (the session stays in this tab's
 * sessionStorage), or a wall screen is opened once as /display/board?token=d_… with a display device token.
 */
import { useMemo, useState } from 'preact/hooks';
import {
  Button,
  LanguageSwitch,
  captureDeviceToken,
  clearStaffSession,
  createApi,
  errorMessage,
  forgetDeviceToken,
  loadStaffSession,
  saveStaffSession,
  type StaffSession,
} from '../../../ui-kit/index.js';
import type { LoginReply } from '../../../protocol/auth.js';
import { Board } from './Board.js';
import { t } from './messages.js';
import './board.css';

type Who = { kind: 'device'; token: string } | { kind: 'user'; session: StaffSession } | null;

function initialWho(): Who {
  const fromUrl = new URL(window.location.href).searchParams.has('token');
  const device = captureDeviceToken('board');
  const session = loadStaffSession();
  if (device && (fromUrl || !session)) return { kind: 'device', token: device };
  if (session && session.user.role !== 'staff') return { kind: 'user', session };
  return null;
}

export default function BoardApp() {
  const [who, setWho] = useState<Who>(initialWho);

  if (!who) return <Login onLogin={(session) => setWho({ kind: 'user', session })} />;
  const token = who.kind === 'device' ? who.token : who.session.token;
  const signOut = () => {
    if (who.kind === 'user') {
      void createApi({ token: () => token })
        .post('/auth/logout')
        .catch(() => undefined);
      clearStaffSession();
    } else {
      forgetDeviceToken('board');
    }
    setWho(null);
  };
  return <Board key={token} token={token} userName={who.kind === 'user' ? who.session.user.name : null} onSignOut={signOut} />;
}

function Login({ onLogin }: { onLogin: (session: StaffSession) => void }) {
  const api = useMemo(() => createApi(), []);
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = async (e: Event) => {
    e.preventDefault();
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      const reply = await api.post<LoginReply>('/auth/login', { username: username.trim(), password });
      if (reply.user.role === 'staff') {
        await createApi({ token: () => reply.token })
          .post('/auth/logout')
          .catch(() => undefined);
        setError(t('notManager'));
        return;
      }
      const session: StaffSession = { token: reply.token, expiresAt: reply.expiresAt, user: reply.user };
      saveStaffSession(session);
      onLogin(session);
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <main class="board-login">
      <form class="board-login__card" onSubmit={(e) => void submit(e)}>
        <div class="board-login__lang">
          <LanguageSwitch tone="light" />
        </div>
        <span class="hh-emblem board-login__emblem" aria-hidden="true">
          ★
        </span>
        <h1>{t('loginTitle')}</h1>
        <p>{t('loginHint')}</p>
        <label>
          <span>{t('username')}</span>
          <input name="username" autoComplete="username" required value={username} onInput={(e) => setUsername(e.currentTarget.value)} />
        </label>
        <label>
          <span>{t('password')}</span>
          <input name="password" type="password" autoComplete="current-password" required value={password} onInput={(e) => setPassword(e.currentTarget.value)} />
        </label>
        {error ? (
          <div class="hh-alert hh-alert--error" role="alert">
            {error}
          </div>
        ) : null}
        <Button type="submit" size="lg" block disabled={busy}>
          {busy ? t('loggingIn') : t('login')}
        </Button>
      </form>
    </main>
  );
}
