// Which device is connected to this relay, and on which session. One session per device:
// a second connection for the same device replaces the first (as Signal-Server does).

export interface DeviceSession {
  readonly device: string;
  /** Called when new envelopes may be queued for this device. */
  wake(): void;
  /** Closes the session because another connection took over the device. */
  replace(): void;
}

export class SessionRegistry {
  private readonly byDevice = new Map<string, DeviceSession>();

  attach(session: DeviceSession): void {
    const previous = this.byDevice.get(session.device);
    this.byDevice.set(session.device, session);
    if (previous && previous !== session) previous.replace();
  }

  detach(session: DeviceSession): void {
    if (this.byDevice.get(session.device) === session) this.byDevice.delete(session.device);
  }

  wake(devices: Iterable<string>): void {
    for (const device of devices) this.byDevice.get(device)?.wake();
  }

  get size(): number {
    return this.byDevice.size;
  }
}
