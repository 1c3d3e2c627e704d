/** Notices to applicants, in Vietnamese: when their dossier needs documents and when its result is ready. */

export type NoticeStatus = 'result_ready' | 'supplement_required';

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
}

const where = (f: NoticeFacts) => (f.counterNumber !== null ? `quầy số ${f.counterNumber}, ${f.hallName}` : f.hallName);

export function emailNotice(f: NoticeFacts): { subject: string; text: string } {
  const lines: string[] = [`Kính gửi Ông/Bà ${f.applicantName},`, ''];
  if (f.status === 'result_ready') {
    lines.push(
      `Hồ sơ số ${f.code} (${f.procedure}) của Ông/Bà đã có kết quả.`,
      `Mời Ông/Bà đến ${where(f)} để nhận kết quả, mang theo Giấy tiếp nhận hồ sơ và hẹn trả kết quả cùng giấy tờ tùy thân.`,
    );
  } else {
    lines.push(
      `Hồ sơ số ${f.code} (${f.procedure}) của Ông/Bà cần được bổ sung, hoàn thiện.`,
      ...(f.note ? [`Nội dung cần bổ sung: ${f.note}`] : []),
      `Mời Ông/Bà đến ${where(f)} để được hướng dẫn và nộp bổ sung.`,
    );
  }
  lines.push('', `Tra cứu tình trạng hồ sơ: ${f.lookupUrl}`, '', f.hallName, 'Thư này được gửi tự động, vui lòng không trả lời.');
  const subject = f.status === 'result_ready' ? `Hồ sơ ${f.code} đã có kết quả` : `Hồ sơ ${f.code} cần bổ sung giấy tờ`;
  return { subject, text: lines.join('\n') };
}

export function smsNotice(f: NoticeFacts): string {
  const place = f.counterNumber !== null ? `quầy số ${f.counterNumber}` : 'Bộ phận Một cửa';
  return f.status === 'result_ready'
    ? `Hồ sơ ${f.code} đã có kết quả. Mời Ông/Bà đến ${place} để nhận. Tra cứu: ${f.lookupUrl}`
    : `Hồ sơ ${f.code} cần bổ sung giấy tờ. Mời Ông/Bà đến ${place} để được hướng dẫn. Tra cứu: ${f.lookupUrl}`;
}

export const EMAIL_SENT_NOTE = 'Đã gửi e-mail thông báo';
export const SMS_SENT_NOTE = 'Đã gửi tin nhắn SMS thông báo';
