import type { Device } from '@signet/protocol';
import { useCallback, useEffect, useId, useState } from 'react';
import { ConfirmAction } from '../components/confirm-action';
import { ErrorNotice, Notice } from '../components/notice';
import { formatDateTime } from '../lib/format';
import { useSession } from '../lib/session-context';
import { useAction } from '../lib/use-action';

/** The account's devices and their sessions; any other one can be signed out from here. */
export function DevicesSection() {
  const { api } = useSession();
  const headingId = useId();
  const [devices, setDevices] = useState<Device[]>();
  const [done, setDone] = useState<string>();
  const loading = useAction();
  const revoking = useAction();

  const load = useCallback(
    () => loading.run(async () => setDevices((await api.devices()).devices)),
    [api, loading.run],
  );
  useEffect(() => void load(), [load]);

  const revoke = (device: Device) =>
    void revoking.run(async () => {
      await api.revokeDevice(device.id);
      setDone(`${device.name} was signed out and removed.`);
      await load();
    });

  return (
    <section className="card" aria-labelledby={headingId}>
      <h2 id={headingId}>Devices</h2>
      <p>Every device signed in to your account. Remove any you do not recognise or no longer use.</p>
      {done && <Notice kind="success">{done}</Notice>}
      <ErrorNotice error={loading.error ?? revoking.error} />
      {devices === undefined && !loading.error && <p>Loading…</p>}
      <ul className="device-list">
        {devices?.map((d) => (
          <li key={d.id} className="device">
            <div>
              <span className="device-name">{d.name}</span>
              {d.current && <span className="badge badge-identified">this device</span>}
              <span className="hint">
                Added {formatDateTime(d.createdAt)}, last seen {formatDateTime(d.lastSeenAt)}
              </span>
            </div>
            {!d.current && (
              <ConfirmAction
                label={`Remove ${d.name}`}
                warning={<p>{d.name} will be signed out at once and will need to register again.</p>}
                confirmLabel="Remove this device"
                busyLabel="Removing…"
                busy={revoking.busy}
                onConfirm={() => revoke(d)}
              />
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
