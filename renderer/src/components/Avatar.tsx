import { NotebookPen } from 'lucide-react';
import { avatarColour, initialsOf } from '../lib/avatar.js';

interface AvatarProps {
  /** A person's username or a group's name: the initials and colour come from it. */
  name: string;
  /** Pixels; the initials scale with it. */
  size?: number;
  /** "Note to self": a notebook in the accent colour rather than the account's own initials. */
  notes?: boolean;
}

/** A round avatar of initials. Decorative: the name it stands for is always written beside it. */
export function Avatar({ name, size = 36, notes = false }: AvatarProps) {
  if (notes) {
    return (
      <span className="avatar avatar-notes" aria-hidden="true" style={{ width: size, height: size }}>
        <NotebookPen size={Math.round(size * 0.5)} />
      </span>
    );
  }
  return (
    <span className="avatar" aria-hidden="true" style={{ width: size, height: size, fontSize: Math.round(size * 0.4), background: avatarColour(name) }}>
      {initialsOf(name)}
    </span>
  );
}
