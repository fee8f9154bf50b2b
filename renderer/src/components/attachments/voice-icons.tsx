// The voice note controls' icons: inline SVG in the text colour, hidden from screen readers (the
// buttons carry the words).
const common = { viewBox: '0 0 24 24', width: 20, height: 20, 'aria-hidden': true, focusable: false } as const;

export function MicIcon() {
  return (
    <svg {...common}>
      <path fill="currentColor" d="M12 14.5a3.5 3.5 0 0 0 3.5-3.5V5.5a3.5 3.5 0 1 0-7 0V11a3.5 3.5 0 0 0 3.5 3.5Z" />
      <path fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" d="M5.5 11a6.5 6.5 0 0 0 13 0M12 17.5V21M8.5 21h7" />
    </svg>
  );
}

export function SendIcon() {
  return (
    <svg {...common}>
      <path fill="currentColor" d="M3.4 20.4 21 12 3.4 3.6l-.01 6.53L15 12l-11.61 1.87Z" />
    </svg>
  );
}

export function CloseIcon() {
  return (
    <svg {...common}>
      <path fill="none" stroke="currentColor" strokeWidth="2.2" strokeLinecap="round" d="m6 6 12 12M18 6 6 18" />
    </svg>
  );
}

export function PlayIcon() {
  return (
    <svg {...common}>
      <path fill="currentColor" d="M8 5.2v13.6a.8.8 0 0 0 1.22.68l10.5-6.8a.8.8 0 0 0 0-1.36L9.22 4.52A.8.8 0 0 0 8 5.2Z" />
    </svg>
  );
}

export function PauseIcon() {
  return (
    <svg {...common}>
      <rect fill="currentColor" x="6.5" y="5" width="4" height="14" rx="1" />
      <rect fill="currentColor" x="13.5" y="5" width="4" height="14" rx="1" />
    </svg>
  );
}

export function RetryIcon() {
  return (
    <svg {...common}>
      <path fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" d="M19 12a7 7 0 1 1-2.05-4.95" />
      <path fill="currentColor" d="M20 4v6h-6Z" />
    </svg>
  );
}
