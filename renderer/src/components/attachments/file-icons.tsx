// Icons of files and of the attach button: inline SVG in the text colour (no emoji font needed),
// hidden from screen readers (the text beside them says what they are).
const common = { viewBox: '0 0 24 24', 'aria-hidden': true, focusable: false } as const;

export function PaperclipIcon() {
  return (
    <svg {...common} width={20} height={20}>
      <path
        fill="none"
        stroke="currentColor"
        strokeWidth="2"
        strokeLinecap="round"
        strokeLinejoin="round"
        d="m20.5 11.5-8.4 8.4a5 5 0 0 1-7.1-7.1l8.4-8.4a3.3 3.3 0 0 1 4.7 4.7l-8.4 8.4a1.7 1.7 0 0 1-2.4-2.4l7.8-7.8"
      />
    </svg>
  );
}

/** The extension shown on a file's icon: from its name, else from its type. */
export function labelOf(name: string, type: string): string {
  const ext = /\.([A-Za-z0-9]{1,5})$/.exec(name)?.[1];
  if (ext) return ext.toUpperCase();
  return (type.split('/')[1] ?? 'FILE').slice(0, 4).toUpperCase();
}

export function FileIcon({ label, size = 40 }: { label: string; size?: number }) {
  return (
    <svg viewBox="0 0 40 48" width={size} height={size * 1.2} aria-hidden="true" focusable="false" className="file-svg">
      <path d="M4 2h22l10 10v32a2 2 0 0 1-2 2H4a2 2 0 0 1-2-2V4a2 2 0 0 1 2-2Z" fill="var(--surface)" stroke="currentColor" strokeOpacity="0.45" strokeWidth="1.5" />
      <path d="M26 2v8a2 2 0 0 0 2 2h8" fill="none" stroke="currentColor" strokeOpacity="0.45" strokeWidth="1.5" />
      <rect x="0" y="26" width={Math.min(40, 8 + label.length * 7)} height="13" rx="2" fill="var(--accent)" />
      <text x="4" y="36" fontSize="10" fontWeight="700" fill="var(--accent-text)" fontFamily="system-ui, sans-serif">
        {label}
      </text>
    </svg>
  );
}
