// The history's key: unlocking it, choosing or replacing its passphrase, and the reset.
import { invoke } from './api.js';
import { useStore } from './store.js';

const state = () => useStore.getState();

/** After the vault changed, the whole picture again: the profile may have opened with it. */
async function refresh(): Promise<void> {
  state().applySnapshot(await invoke('app:snapshot', {}));
}

export async function unlockVault(passphrase: string): Promise<void> {
  state().setVault(await invoke('vault:unlock', { passphrase }));
  await refresh();
}

/** Where no keyring exists, the passphrase that protects the key; otherwise the recovery passphrase. */
export async function setVaultPassphrase(passphrase: string): Promise<void> {
  const vault = await invoke('vault:setPassphrase', { passphrase });
  if (state().phase === 'choose-passphrase') await refresh();
  else state().setVault(vault);
}

export async function resetVault(): Promise<void> {
  const { movedTo } = await invoke('vault:reset', {});
  state().setSetAsideTo(movedTo);
  await refresh();
}
