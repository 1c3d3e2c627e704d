import type { ComponentType } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { common } from '../i18n.js';

/**
 * Renders the default export of a module loaded on demand (a separate chunk), e.g.
 * `<Lazy load={() => import('./lookup/LookupApp.js')} />`. Shows a loading line meanwhile and retries
 * a failed load (the hub may be restarting) every few seconds.
 */
export function Lazy<P extends object>({ load, props }: { load: () => Promise<{ default: ComponentType<P> }>; props?: P }) {
  const [comp, setComp] = useState<ComponentType<P> | null>(null);
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    let live = true;
    let retry: ReturnType<typeof setTimeout> | null = null;
    load()
      .then((m) => {
        if (live) setComp(() => m.default);
      })
      .catch(() => {
        if (live) retry = setTimeout(() => setAttempt((a) => a + 1), 3000);
      });
    return () => {
      live = false;
      if (retry) clearTimeout(retry);
    };
  }, [attempt]);
  if (!comp) return <div class="hh-loading">{common('loading')}</div>;
  const C = comp;
  return <C {...(props ?? ({} as P))} />;
}
