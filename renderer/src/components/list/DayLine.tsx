import { useTranslation } from 'react-i18next';
import { formatFullTime } from '../../format.js';
import { formatDayHeading } from '../../lib/day-heading.js';
import { useRowAttrs } from './row-attrs.js';

/** The line that opens a day in the log: "Today", "Yesterday", "Tuesday", "Friday, November 20". */
export function DayLine({ at }: { at: number }) {
  const { i18n } = useTranslation();
  const row = useRowAttrs();
  return (
    <li {...row} className="day-line">
      <time dateTime={new Date(at).toISOString().slice(0, 10)} title={formatFullTime(at, i18n.language)}>
        {formatDayHeading(at, i18n.language, new Date())}
      </time>
    </li>
  );
}
