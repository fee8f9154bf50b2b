// On Linux, Electron picks the keyring itself; `--password-store=…` makes it use a given one. The
// backend names safeStorage reports, and the flag that brings each back.
const FLAGS: Record<string, string> = {
  gnome_libsecret: 'gnome-libsecret',
  kwallet: 'kwallet',
  kwallet5: 'kwallet5',
  kwallet6: 'kwallet6',
};

/** The flag that starts Warbler with this keyring again; null for keyrings the OS chooses (macOS, Windows). */
export function passwordStoreFlag(backend: string): string | null {
  const store = Object.hasOwn(FLAGS, backend) ? FLAGS[backend] : undefined;
  return store ? `--password-store=${store}` : null;
}
