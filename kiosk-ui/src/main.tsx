/**
 * kiosk-ui entry. One build serves three pages:
 *   /kiosk/            the ticket kiosk (device token, opened once as /kiosk/?token=d_…)
 *   /kiosk/t/<id>      the public ticket-follow page a citizen opens from the QR code (no token)
 *   /kiosk/lookup      the lookup kiosk (its own component, loaded on demand)
 *   /kiosk/procedures  the procedure catalogue on a lookup kiosk, also public at /procedures/
 */
import { render } from 'preact';
import '../../ui-kit/theme.css';
import './kiosk.css';
import {
  Lazy,
  SocketContext,
  DeviceNotice,
  captureDeviceToken,
  createApi,
  createSocketStore,
  initLanguage,
} from '../../ui-kit/index.js';
import { KioskApp } from './KioskApp.js';
import { FollowPage } from './FollowPage.js';

const root = document.getElementById('app')!;
const path = window.location.pathname;
const follow = /^\/kiosk\/t\/(\d+)\/?$/.exec(path);

if (/^\/(kiosk\/)?procedures(\/|$)/.test(path)) {
  initLanguage('catalogue');
  document.title = 'Tra cứu thủ tục hành chính';
  render(<Lazy load={() => import('./catalogue/CatalogueApp.js')} />, root);
} else if (/^\/(kiosk\/)?lookup(\/|$)/.test(path)) {
  initLanguage('lookup');
  render(<Lazy load={() => import('./lookup/LookupApp.js')} />, root);
} else if (follow) {
  initLanguage('follow');
  document.title = 'Theo dõi số thứ tự';
  render(<FollowPage ticketId={Number(follow[1])} />, root);
} else {
  initLanguage('kiosk');
  const token = captureDeviceToken('kiosk');
  if (!token) {
    render(<DeviceNotice reason="no-token" />, root);
  } else {
    const store = createSocketStore({ token, heartbeat: true });
    const api = createApi({ token: () => token });
    render(
      <SocketContext.Provider value={store}>
        <KioskApp api={api} />
      </SocketContext.Provider>,
      root,
    );
  }
}
