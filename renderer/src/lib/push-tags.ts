// A push's tags, as ntfy shows them: a tag that is an emoji short code becomes that emoji (before
// the title), any other tag is a word of its own. Publishers write "warning,backup" and expect ⚠️.

/** Short codes publishers commonly use (ntfy's docs and scripts), not the whole emoji list. */
const EMOJI: Readonly<Record<string, string>> = {
  '+1': '👍',
  '-1': '👎',
  thumbsup: '👍',
  thumbsdown: '👎',
  warning: '⚠️',
  rotating_light: '🚨',
  no_entry: '⛔',
  no_entry_sign: '🚫',
  stop_sign: '🛑',
  sos: '🆘',
  skull: '💀',
  skull_and_crossbones: '☠️',
  fire: '🔥',
  boom: '💥',
  bomb: '💣',
  zap: '⚡',
  bug: '🐛',
  x: '❌',
  heavy_multiplication_x: '✖️',
  white_check_mark: '✅',
  heavy_check_mark: '✔️',
  ballot_box_with_check: '☑️',
  tada: '🎉',
  partying_face: '🥳',
  confetti_ball: '🎊',
  trophy: '🏆',
  rocket: '🚀',
  star: '⭐',
  sparkles: '✨',
  loudspeaker: '📢',
  mega: '📣',
  bell: '🔔',
  no_bell: '🔕',
  information_source: 'ℹ️',
  question: '❓',
  exclamation: '❗',
  bangbang: '‼️',
  hourglass: '⌛',
  hourglass_flowing_sand: '⏳',
  alarm_clock: '⏰',
  stopwatch: '⏱️',
  calendar: '📅',
  lock: '🔒',
  unlock: '🔓',
  key: '🔑',
  shield: '🛡️',
  computer: '💻',
  desktop_computer: '🖥️',
  floppy_disk: '💾',
  cd: '💿',
  package: '📦',
  wrench: '🔧',
  hammer: '🔨',
  gear: '⚙️',
  electric_plug: '🔌',
  battery: '🔋',
  bulb: '💡',
  email: '📧',
  envelope: '✉️',
  inbox_tray: '📥',
  outbox_tray: '📤',
  chart_with_upwards_trend: '📈',
  chart_with_downwards_trend: '📉',
  bar_chart: '📊',
  memo: '📝',
  pushpin: '📌',
  link: '🔗',
  house: '🏠',
  cloud: '☁️',
  sunny: '☀️',
  umbrella: '☔',
  snowflake: '❄️',
  thermometer: '🌡️',
  droplet: '💧',
  heart: '❤️',
  broken_heart: '💔',
  smile: '😄',
  slightly_smiling_face: '🙂',
  cry: '😢',
  scream: '😱',
  eyes: '👀',
  wave: '👋',
  clap: '👏',
  pray: '🙏',
  muscle: '💪',
  green_circle: '🟢',
  yellow_circle: '🟡',
  orange_circle: '🟠',
  red_circle: '🔴',
  large_blue_circle: '🔵',
  white_circle: '⚪',
  black_circle: '⚫',
  cat: '🐱',
  dog: '🐶',
  robot: '🤖',
  ghost: '👻',
  money_with_wings: '💸',
  moneybag: '💰',
  arrow_up: '⬆️',
  arrow_down: '⬇️',
  recycle: '♻️',
  triangular_flag_on_post: '🚩',
  checkered_flag: '🏁',
};

/** The emoji a tag stands for, or null when it is a plain word. Short codes are matched as typed, case aside. */
export function tagEmoji(tag: string): string | null {
  const code = tag.trim().toLowerCase();
  return Object.hasOwn(EMOJI, code) ? (EMOJI[code] ?? null) : null;
}

export interface TagDisplay {
  /** In the order published; `tag` is the short code (what a screen reader names it by). */
  emojis: { tag: string; emoji: string }[];
  /** The other tags, as published, without empty ones. */
  labels: string[];
}

export function splitTags(tags: readonly string[]): TagDisplay {
  const display: TagDisplay = { emojis: [], labels: [] };
  for (const raw of tags) {
    const tag = raw.trim();
    if (tag === '') continue;
    const emoji = tagEmoji(tag);
    if (emoji) display.emojis.push({ tag, emoji });
    else display.labels.push(tag);
  }
  return display;
}
