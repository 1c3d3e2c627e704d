/**
 * ui-kit: client code every Hall Hub screen shares. Import from here (`../../ui-kit/index.js`) and import
 * the theme once per app (`import '../../ui-kit/theme.css'`). See ui-kit/README.md for the guide.
 */
export { ApiError, createApi, errorMessage, type ApiClient, type ApiOptions } from './api.js';
export {
  captureDeviceToken,
  clearStaffSession,
  forgetDeviceToken,
  getDeviceToken,
  loadStaffSession,
  saveStaffSession,
  type StaffSession,
  type TokenEnv,
} from './tokens.js';
export {
  SocketContext,
  createSocketStore,
  useHubEvent,
  useSocketStore,
  type DeviceFault,
  type HubEventName,
  type HubEventPayload,
  type HubSocket,
  type SocketStatus,
  type SocketStore,
  type SocketStoreOptions,
} from './socket.js';
export { LANGS, common, createTranslator, initLanguage, interpolate, lang, localized, setLanguage, type Lang, type Params, type Translate } from './i18n.js';
export { DEFAULT_TIME_ZONE, formatDate, formatDuration, formatLongDate, formatTime } from './format.js';
export { useDebounced, useIdle, useLoad, type Loaded } from './hooks.js';
export { Button, type ButtonProps, type ButtonSize, type ButtonVariant } from './components/Button.js';
export { Clock, now, startTicking, useNow, type ClockProps } from './components/Clock.js';
export { DeviceNotice } from './components/DeviceNotice.js';
export { LanguageSwitch, type LanguageSwitchProps } from './components/LanguageSwitch.js';
export { Lazy } from './components/Lazy.js';
export { OfflineBanner, type OfflineBannerProps } from './components/OfflineBanner.js';
export { QrCode, type QrCodeProps } from './components/QrCode.js';
