/** Notices to applicants, in Vietnamese: when their dossier needs documents, when its result is ready, when it is late and extended. */

export type NoticeStatus = 'result_ready' | 'supplement_required' | 'extended';

export const isNoticeStatus = (s: string): s is NoticeStatus => s === 'result_ready' || s === 'supplement_required';

export interface NoticeFacts {
  status: NoticeStatus;
  code: string;
  procedure: string;
  applicantName: string;
  hallName: string;
  counterNumber: number | null;
  note: string | null;
  lookupUrl: string;
  /** The (new) due date and the hall's time zone, for an extension. */
  dueAt?: string;
  timezone?: string;
}

const dueDate = (f: NoticeFacts) =>
  f.dueAt ? new Intl.DateTimeFormat('vi-VN', { timeZone: f.timezone ?? 'Asia/Ho_Chi_Minh', day: '2-digit', month: '2-digit', year: 'numeric' }).format(new Date(f.dueAt)) : '';

const where = (f: NoticeFacts) => (f.counterNumber !== null ? `quầy số ${f.counterNumber}, ${f.hallName}` : f.hallName);

export function emailNotice(f: NoticeFacts): { subject: string; text: string } {
  const lines: string[] = [`Kính gửi Ông/Bà ${f.applicantName},`, ''];
  if (f.status === 'result_ready') {
    lines.push(
      `Hồ sơ số ${f.code} (${f.procedure}) của Ông/Bà đã có kết quả.`,
      `Mời Ông/Bà đến ${where(f)} để nhận kết quả, mang theo Giấy tiếp nhận hồ sơ và hẹn trả kết quả cùng giấy tờ tùy thân.`,
    );
  } else if (f.status === 'extended') {
    lines.push(
      `Hồ sơ số ${f.code} (${f.procedure}) của Ông/Bà chưa được giải quyết đúng hạn. Chúng tôi xin lỗi Ông/Bà.`,
      ...(f.note ? [`Lý do: ${f.note}`] : []),
      `Ngày hẹn trả kết quả mới: ${dueDate(f)}.`,
    );
  } else {
    lines.push(
      `Hồ sơ số ${f.code} (${f.procedure}) của Ông/Bà cần được bổ sung, hoàn thiện.`,
      ...(f.note ? [`Nội dung cần bổ sung: ${f.note}`] : []),
      `Mời Ông/Bà đến ${where(f)} để được hướng dẫn và nộp bổ sung.`,
    );
  }
  lines.push('', `Tra cứu tình trạng hồ sơ: ${f.lookupUrl}`, '', f.hallName, 'Thư này được gửi tự động, vui lòng không trả lời.');
  const subject =
    f.status === 'result_ready'
      ? `Hồ sơ ${f.code} đã có kết quả`
      : f.status === 'extended'
        ? `Xin lỗi: hồ sơ ${f.code} được hẹn lại ngày ${dueDate(f)}`
        : `Hồ sơ ${f.code} cần bổ sung giấy tờ`;
  return { subject, text: lines.join('\n') };
}

export function smsNotice(f: NoticeFacts): string {
  const place = f.counterNumber !== null ? `quầy số ${f.counterNumber}` : 'Bộ phận Một cửa';
  switch (f.status) {
    case 'result_ready':
      return `Hồ sơ ${f.code} đã có kết quả. Mời Ông/Bà đến ${place} để nhận. Tra cứu: ${f.lookupUrl}`;
    case 'supplement_required':
      return `Hồ sơ ${f.code} cần bổ sung giấy tờ. Mời Ông/Bà đến ${place} để được hướng dẫn. Tra cứu: ${f.lookupUrl}`;
    case 'extended':
      return `Xin lỗi Ông/Bà: hồ sơ ${f.code} chưa giải quyết đúng hạn, hẹn trả kết quả mới ngày ${dueDate(f)}. Tra cứu: ${f.lookupUrl}`;
  }
}

export const EMAIL_SENT_NOTE = 'Đã gửi e-mail thông báo';
export const SMS_SENT_NOTE = 'Đã gửi tin nhắn SMS thông báo';
