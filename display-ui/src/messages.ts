import { createTranslator } from '../../ui-kit/index.js';

/** Every string of the hall display. */
export const t = createTranslator({
  vi: {
    screenTitle: 'Màn hình gọi số',
    inviteCitizen: 'Mời công dân có số',
    toCounter: 'đến',
    counter: 'Quầy {n}',
    counterLabel: 'Quầy',
    recall: 'Gọi lại',
    recentCalls: 'Số vừa gọi',
    noCalls: 'Chưa có số nào được gọi',
    waitingFirstCall: 'Xin chào quý công dân',
    waitingFirstCallHint: 'Vui lòng lấy số thứ tự tại máy lấy số và chú ý màn hình, loa thông báo.',
    status_open: 'Đang phục vụ',
    status_paused: 'Tạm dừng',
    status_closed: 'Đóng',
    noNumber: '—',
    ticker: 'Đề nghị công dân giữ trật tự, chú ý theo dõi số thứ tự trên màn hình và loa thông báo. Khi được mời, vui lòng đến đúng quầy.',
  },
  en: {
    screenTitle: 'Calling display',
    inviteCitizen: 'Now serving number',
    toCounter: 'at',
    counter: 'Counter {n}',
    counterLabel: 'Counter',
    recall: 'Recall',
    recentCalls: 'Recent calls',
    noCalls: 'No number called yet',
    waitingFirstCall: 'Welcome',
    waitingFirstCallHint: 'Please take a number at the kiosk and watch the displays and announcements.',
    status_open: 'Serving',
    status_paused: 'Paused',
    status_closed: 'Closed',
    noNumber: '—',
    ticker: 'Please keep order and watch the displays and announcements. When your number is called, go to the counter shown.',
  },
});
