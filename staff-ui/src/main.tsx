/** staff-ui entry: `/staff/` — login, choose a counter, the counter console. */
import { render } from 'preact';
import '../../ui-kit/theme.css';
import './staff.css';
import { initLanguage } from '../../ui-kit/index.js';
import { LoginPage } from './LoginPage.js';
import { StaffApp } from './StaffApp.js';
import { session } from './session.js';

initLanguage('staff');

function Root() {
  const s = session.value;
  return s ? <StaffApp key={s.token} session={s} /> : <LoginPage />;
}

render(<Root />, document.getElementById('app')!);
