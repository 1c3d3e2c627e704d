/**
 * rating-tablet-ui: the counter's rating tablet, opened once as /tablet/?token=d_… (a `tablet` device
 * paired to one counter). The token is remembered on the device and removed from the address bar.
 */
import { render } from 'preact';
import '../../ui-kit/theme.css';
import './tablet.css';
import { DeviceNotice, SocketContext, captureDeviceToken, createSocketStore, initLanguage } from '../../ui-kit/index.js';
import { TabletApp } from './TabletApp.js';

initLanguage('tablet');
const root = document.getElementById('app')!;
const token = captureDeviceToken('tablet');
if (!token) {
  render(<DeviceNotice reason="no-token" />, root);
} else {
  const store = createSocketStore({ token, heartbeat: true });
  render(
    <SocketContext.Provider value={store}>
      <TabletApp token={token} />
    </SocketContext.Provider>,
    root,
  );
}
