// `npm start` builds the screens once when they are missing (a fresh clone), then the hub serves dist/.
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
const apps = ['kiosk-ui', 'display-ui', 'staff-ui', 'rating-tablet-ui'];
if (!apps.every((a) => existsSync(`dist/${a}/index.html`))) {
  console.log('Building the screens (first start)…');
  const r = spawnSync(process.execPath, ['node_modules/vite/bin/vite.js', 'build'], { stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
