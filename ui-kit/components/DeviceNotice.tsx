import { common } from '../i18n.js';

/** Full-screen notice for a device opened without a token, or whose token the hub refused. */
export function DeviceNotice({ reason }: { reason: 'no-token' | 'rejected' }) {
  const url = `${window.location.origin}${window.location.pathname}`;
  return (
    <main class="hh-device-notice">
      <div class="hh-device-notice__card" role="alert">
        <h1>{reason === 'no-token' ? common('deviceNoToken') : common('deviceRejected')}</h1>
        <p>{reason === 'no-token' ? common('deviceNoTokenHint', { url }) : common('deviceRejectedHint')}</p>
      </div>
    </main>
  );
}
