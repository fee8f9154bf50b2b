// Renders the app. Called by the page's entry once window.warbler exists:
//   main.tsx (Electron: the preload already set it) or web-entry.ts (after the bridge shim ran).
// Nothing here may run at import time: both entries share this module through one chunk.
import './styles.css';
import './screens.css';
import './search.css';
import './conversation.css';
import './messages.css';
import './notifications.css';
import './voice.css';
import './attachments.css';
import './push-media.css';
import './message-actions.css';
import './forward.css';
import './people.css';
import './shell.css';
import './dialogs.css';
import './push-view.css';
import './log.css';
import './i18n.js';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './components/App.js';

export function mount(): void {
  const container = document.getElementById('root');
  if (!container) throw new Error('missing #root');
  createRoot(container).render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
}
