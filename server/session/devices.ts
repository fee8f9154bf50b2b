// An account's devices: who they are, their prekeys on the relay, bundles to start sessions with
// them, and unlinking one.
import { ONE_TIME_PREKEYS_LOW, type ResultData } from '../../shared/protocol.js';
import { RequestError, accountOf, checkPreKeys, type Frame, type SessionContext } from './context.js';

export class Devices {
  constructor(private readonly session: SessionContext) {}

  async list(frame: Frame<'devices'>): Promise<ResultData['devices']> {
    this.session.requireIdentity();
    return { username: frame.username, ...(await accountOf(this.session.deps.stores, frame.username)) };
  }

  async preKeys(frame: Frame<'prekeys'>): Promise<ResultData['prekeys']> {
    const me = this.session.requireIdentity();
    await checkPreKeys(this.session, me.device, frame);
    try {
      return { oneTimePreKeys: await this.session.deps.stores.preKeys.storePreKeys(me.device, frame) };
    } catch (err) {
      if (err instanceof RangeError) throw new RequestError('bad_prekey', err.message);
      throw err;
    }
  }

  async bundles(frame: Frame<'bundles'>): Promise<ResultData['bundles']> {
    const me = this.session.requireIdentity();
    const { budgets, stores, registry, now } = this.session.deps;
    const pair = `${me.username}\n${frame.username}`;
    if (!(await budgets.pairBundles.take(pair, frame.devices.length, now())) || !(await budgets.bundles.take(me.username, frame.devices.length, now()))) {
      throw new RequestError('rate_limited', 'too many prekey bundles asked for: wait a few minutes');
    }
    const { bundles, remaining } = await stores.preKeys.takeBundles(frame.username, frame.devices);
    for (const [device, left] of Object.entries(remaining)) {
      if (left < ONE_TIME_PREKEYS_LOW) registry.toDevice(device, { type: 'prekeys-low', remaining: left });
    }
    if (bundles.length === 0) throw new RequestError('no_prekeys', `none of these devices of "${frame.username}" has prekeys`, { params: { username: frame.username } });
    return { bundles };
  }

  async remove(frame: Frame<'device-remove'>): Promise<ResultData['device-remove']> {
    const me = this.session.requireIdentity();
    const { stores, registry } = this.session.deps;
    if (!(await stores.accounts.removeDevice(me.username, frame.device))) {
      throw new RequestError('unknown_device', 'this account has no such device');
    }
    registry.removeDevice(frame.device);
    return {};
  }
}
