import { useContext } from 'preact/hooks';
import { common } from '../i18n.js';
import { SocketContext } from '../socket.js';

export interface OfflineBannerProps {
  /** Override: show the banner when true (pages without a socket, e.g. a polling page). */
  offline?: boolean;
}

/**
 * "Mất kết nối – đang kết nối lại…": shown while the page's socket is down (or when `offline` is given and
 * true), hidden again by itself once the hub answers. `role="alert"` so screen readers announce it.
 */
export function OfflineBanner({ offline }: OfflineBannerProps) {
  const store = useContext(SocketContext);
  const show = offline ?? store?.offline.value ?? false;
  if (!show) return null;
  return (
    <div class="hh-offline" role="alert" data-testid="offline-banner">
      <span class="hh-offline__dot" aria-hidden="true" />
      <strong>{common('offline')}</strong>
      <span class="hh-offline__hint">{common('offlineHint')}</span>
    </div>
  );
}
