/** The printed and called number of the `seq`-th ticket of a service today: "A023" or, for a range service, "1023". */
export function formatTicketNumber(s: { prefix: string; number_start: number; number_end: number }, seq: number): string {
  const value = s.number_start + seq - 1;
  if (!s.prefix) return String(value);
  const width = Math.max(3, String(s.number_end).length);
  return s.prefix + String(value).padStart(width, '0');
}

/** How many tickets a service can issue in one day. */
export const capacityOf = (s: { number_start: number; number_end: number }) => s.number_end - s.number_start + 1;
