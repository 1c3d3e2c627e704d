import { useState } from 'preact/hooks';
import type { CatalogueImportResult } from '../../../protocol/index.js';
import { api } from '../session.js';
import { ErrorLine, adminError } from './parts.js';
import { t } from './figures-messages.js';

/** Imports a province catalogue CSV (admin): all rows or none; the hub's message names a bad row and column. */
export function CatalogueImport({ onDone }: { onDone: () => void }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  async function pick(file: File) {
    setBusy(true);
    setError(null);
    setDone(null);
    try {
      const r = await api.post<CatalogueImportResult>('/procedures/import', { csv: await file.text() });
      setDone(t('importDone', { created: r.created, updated: r.updated }));
      onDone();
    } catch (err) {
      setError(adminError(err));
    } finally {
      setBusy(false);
    }
  }
  return (
    <div class="catalogue-import" data-testid="catalogue-import">
      <strong>{t('importTitle')}</strong>
      <p class="admin-note">{t('importHint')}</p>
      <label class="hh-btn hh-btn--secondary hh-btn--md">
        {t('importPick')}
        <input
          type="file"
          accept=".csv,text/csv"
          hidden
          disabled={busy}
          data-testid="catalogue-file"
          onChange={(e) => {
            const f = e.currentTarget.files?.[0];
            e.currentTarget.value = '';
            if (f) void pick(f);
          }}
        />
      </label>
      {done ? (
        <p class="hh-alert hh-alert--info" role="status" data-testid="import-done">
          {done}
        </p>
      ) : null}
      <ErrorLine error={error} />
    </div>
  );
}
