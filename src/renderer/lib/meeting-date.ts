/** Dates for people, apart from labels.ts so a screen that shows no date (quick add) loads no date library. */
import { format, isToday, isTomorrow, isYesterday } from 'date-fns';

/** A meeting's date for people; a date a peer wrote that is not one reads "date unknown" instead of throwing. */
export function meetingDate(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return 'date unknown';
  const time = format(date, 'HH:mm');
  if (isToday(date)) return `Today, ${time}`;
  if (isTomorrow(date)) return `Tomorrow, ${time}`;
  if (isYesterday(date)) return `Yesterday, ${time}`;
  return format(date, 'EEE d MMM, HH:mm');
}
