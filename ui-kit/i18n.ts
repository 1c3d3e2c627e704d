/**
 * Vietnamese first, English as a switch.
 *
 * `lang` is one signal for the whole page; components that call a translator re-render when it changes.
 * Each app defines its own dictionary with `createTranslator({ vi, en })`: the `en` table must have every
 * key of the `vi` table (checked by the type system). Parameters are written `{name}` in the text.
 */
import { effect, signal } from '@preact/signals';

export type Lang = 'vi' | 'en';
export const LANGS: readonly Lang[] = ['vi', 'en'];

/** The language of this page. Vietnamese unless the device remembered English. */
export const lang = signal<Lang>('vi');

const langKey = (app: string) => `hallhub:${app}:lang`;
let stopPersist: (() => void) | null = null;

/** Loads the language remembered by this device for `app` and remembers every later change. */
export function initLanguage(app: string): void {
  try {
    const saved = window.localStorage.getItem(langKey(app));
    if (saved === 'vi' || saved === 'en') lang.value = saved;
  } catch {
    // storage unavailable: stay Vietnamese
  }
  stopPersist?.();
  stopPersist = effect(() => {
    const l = lang.value;
    if (typeof document !== 'undefined') document.documentElement.lang = l;
    try {
      window.localStorage.setItem(langKey(app), l);
    } catch {
      // not remembered, still switched
    }
  });
}

export function setLanguage(l: Lang): void {
  lang.value = l;
}

export type Params = Record<string, string | number>;
export type Translate<K extends string> = (key: K, params?: Params) => string;

/** Replaces `{name}` placeholders; unknown placeholders stay as they are. */
export function interpolate(text: string, params?: Params): string {
  if (!params) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

/** A translator over one app's dictionary, following the `lang` signal (or a fixed language). */
export function createTranslator<V extends Record<string, string>>(dict: { vi: V; en: { [K in keyof V]: string } }): Translate<keyof V & string> & {
  in(l: Lang): Translate<keyof V & string>;
} {
  const inLang = (l: Lang): Translate<keyof V & string> => (key, params) => interpolate((l === 'en' ? dict.en[key] : dict.vi[key]) ?? key, params);
  const t = ((key: keyof V & string, params?: Params) => inLang(lang.value)(key, params)) as Translate<keyof V & string> & { in(l: Lang): Translate<keyof V & string> };
  t.in = inLang;
  return t;
}

/** Picks the English name of a record when English is on and it has one. */
export function localized(vi: string, en: string | null | undefined, l: Lang = lang.value): string {
  return l === 'en' && en ? en : vi;
}

/** Strings every screen uses. */
export const common = createTranslator({
  vi: {
    offline: 'Mất kết nối – đang kết nối lại…',
    offlineHint: 'Màn hình sẽ tự cập nhật khi có kết nối trở lại.',
    online: 'Đã kết nối',
    networkError: 'Không kết nối được với máy chủ. Vui lòng thử lại.',
    timeout: 'Máy chủ không trả lời kịp. Vui lòng thử lại.',
    serverError: 'Lỗi máy chủ (HTTP {status}). Vui lòng thử lại.',
    language: 'Ngôn ngữ',
    vi: 'Tiếng Việt',
    en: 'English',
    minutes: '{n} phút',
    loading: 'Đang tải…',
    retry: 'Thử lại',
    close: 'Đóng',
    cancel: 'Hủy',
    deviceNoToken: 'Thiết bị chưa được cấp mã truy cập',
    deviceNoTokenHint: 'Quản trị viên hãy mở địa chỉ của màn hình này kèm mã thiết bị: {url}?token=d_…',
    deviceRejected: 'Mã thiết bị không hợp lệ hoặc đã bị thu hồi',
    deviceRejectedHint: 'Quản trị viên hãy cấp mã mới cho thiết bị này và mở lại địa chỉ kèm ?token=…',
  },
  en: {
    offline: 'Connection lost – reconnecting…',
    offlineHint: 'The screen updates by itself when the connection is back.',
    online: 'Connected',
    networkError: 'Cannot reach the server. Please try again.',
    timeout: 'The server did not answer in time. Please try again.',
    serverError: 'Server error (HTTP {status}). Please try again.',
    language: 'Language',
    vi: 'Tiếng Việt',
    en: 'English',
    minutes: '{n} min',
    loading: 'Loading…',
    retry: 'Retry',
    close: 'Close',
    cancel: 'Cancel',
    deviceNoToken: 'This device has no access token yet',
    deviceNoTokenHint: 'Administrator: open this screen once with its device token: {url}?token=d_…',
    deviceRejected: 'The device token is invalid or revoked',
    deviceRejectedHint: 'Administrator: issue a new token for this device and open the address with ?token=…',
  },
});
