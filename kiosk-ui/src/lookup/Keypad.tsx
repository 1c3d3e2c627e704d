/** The lookup kiosk's on-screen keyboard: big keys for digits, letters, '.' and '-'. */
import { t } from './messages.js';

const ROWS: readonly string[][] = [
  ['1', '2', '3', '4', '5', '6', '7', '8', '9', '0'],
  ['Q', 'W', 'E', 'R', 'T', 'Y', 'U', 'I', 'O', 'P'],
  ['A', 'S', 'D', 'F', 'G', 'H', 'J', 'K', 'L', '.'],
  ['Z', 'X', 'C', 'V', 'B', 'N', 'M', '-'],
];

/** The separator between the code and the lookup key printed beside it. */
const KEY_SEPARATOR = '/';

export const MAX_CODE_LENGTH = 40;

export function Keypad({ value, onChange, onSubmit, onClose }: { value: string; onChange: (v: string) => void; onSubmit: () => void; onClose: () => void }) {
  const press = (k: string) => {
    if (value.length < MAX_CODE_LENGTH) onChange(value + k);
  };
  return (
    <section class="lk-keypad" aria-label={t('typeCode')}>
      <div class="lk-keypad__head">
        <label class="lk-keypad__label" for="lk-code">
          {t('codeLabel')}
        </label>
        <button type="button" class="lk-keypad__close" onClick={onClose}>
          {t('close')} ✕
        </button>
      </div>
      <output id="lk-code" class={value ? 'lk-keypad__value' : 'lk-keypad__value is-empty'} aria-live="polite" data-testid="typed-code">
        {value || t('codePlaceholder')}
      </output>
      <p class="lk-keypad__hint">{value.includes(KEY_SEPARATOR) ? t('keyLabel') : t('codeFormat')}</p>
      <div class="lk-keys">
        {ROWS.map((row, i) => (
          <div class="lk-keys__row" key={i}>
            {row.map((k) => (
              <button type="button" key={k} class={/[0-9]/.test(k) ? 'lk-key lk-key--digit' : 'lk-key'} onClick={() => press(k)} aria-label={k}>
                {k}
              </button>
            ))}
            {i === 3 ? (
              <button type="button" class="lk-key lk-key--wide lk-key--muted" onClick={() => onChange(value.slice(0, -1))}>
                ⌫ {t('backspace')}
              </button>
            ) : null}
          </div>
        ))}
        <div class="lk-keys__row">
          <button type="button" class="lk-key lk-key--wide lk-key--muted" onClick={() => onChange('')}>
            {t('clear')}
          </button>
          <button
            type="button"
            class="lk-key lk-key--wide"
            data-testid="key-separator"
            disabled={!value || value.includes(KEY_SEPARATOR)}
            onClick={() => press(KEY_SEPARATOR)}
          >
            {t('addKey')}
          </button>
          <button type="button" class="lk-key lk-key--submit" disabled={!value} onClick={onSubmit}>
            {t('search')}
          </button>
        </div>
      </div>
    </section>
  );
}
