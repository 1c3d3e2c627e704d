/**
 * display-ui entry. One build serves:
 *   /display/           the hall TV (display device token, opened once as /display/?token=d_…)
 *   /display/board      the managers' live board (its own component)
 *   /display/rankings   the public rankings (its own component)
 */
import { render } from 'preact';
import '../../ui-kit/theme.css';
import './display.css';
import { DeviceNotice, Lazy, SocketContext, captureDeviceToken, createSocketStore, initLanguage } from '../../ui-kit/index.js';
import { DisplayApp } from './DisplayApp.js';
import { createBrowserAnnouncer, unlockAudioOnGesture } from './announcer.js';

const root = document.getElementById('app')!;
const path = window.location.pathname;

if (/^\/display\/board(\/|$)/.test(path)) {
  initLanguage('board');
  render(<Lazy load={() => import('./board/BoardApp.js')} />, root);
} else if (/^\/display\/rankings(\/|$)/.test(path)) {
  initLanguage('rankings');
  render(<Lazy load={() => import('./rankings/RankingsApp.js')} />, root);
} else {
  initLanguage('display');
  const token = captureDeviceToken('display');
  if (!token) {
    render(<DeviceNotice reason="no-token" />, root);
  } else {
    const store = createSocketStore({ token, heartbeat: true });
    const announcer = createBrowserAnnouncer(token);
    unlockAudioOnGesture();
    render(
      <SocketContext.Provider value={store}>
        <DisplayApp announcer={announcer} />
      </SocketContext.Provider>,
      root,
    );
  }
}
