import { LANGS, common, lang, setLanguage, type Lang } from '../i18n.js';

const SHORT: Record<Lang, string> = { vi: 'VI', en: 'EN' };

export interface LanguageSwitchProps {
  /** `touch` makes each choice a large target (kiosks). */
  size?: 'normal' | 'touch';
  /** `dark` (default) sits on a coloured header; `light` on a white page. */
  tone?: 'dark' | 'light';
  /** Called after a switch (e.g. to restart an idle timer). */
  onChange?: (l: Lang) => void;
}

/** Tiếng Việt / English: a two-choice segmented switch bound to the page's `lang` signal. */
export function LanguageSwitch({ size = 'normal', tone = 'dark', onChange }: LanguageSwitchProps) {
  const current = lang.value;
  return (
    <div class={`hh-lang hh-lang--${size} hh-lang--${tone}`} role="group" aria-label={common('language')}>
      {LANGS.map((l) => (
        <button
          type="button"
          key={l}
          lang={l}
          class={l === current ? 'hh-lang__btn is-active' : 'hh-lang__btn'}
          aria-pressed={l === current}
          onClick={() => {
            setLanguage(l);
            onChange?.(l);
          }}
        >
          <span class="hh-lang__short">{SHORT[l]}</span>
          <span class="hh-lang__name">{common.in(l)(l)}</span>
        </button>
      ))}
    </div>
  );
}
