// Rotate secret, confirmed: a new signing secret, shown once; the old one keeps signing for 24 h.
import { useState } from 'react';
import { api, type RotatedSecret, type Webhook } from '../../api';
import { KeyIcon } from '../../icons';
import { ConfirmDialog, useToast } from '../../ui';

export function RotateSecretDialog({
  webhook,
  onRotated,
  onClose,
}: {
  webhook: Webhook;
  onRotated: (rotated: RotatedSecret) => void;
  onClose: () => void;
}) {
  const toast = useToast();
  const [busy, setBusy] = useState(false);
  const rotate = async () => {
    setBusy(true);
    try {
      onRotated(await api<RotatedSecret>('POST', `/v1/webhooks/${webhook.id}/rotate-secret`));
      toast('Signing secret rotated');
    } catch (e) {
      toast(e instanceof Error ? e.message : String(e), 'danger');
    } finally {
      setBusy(false);
      onClose();
    }
  };
  return (
    <ConfirmDialog
      title="Rotate the signing secret?"
      confirmLabel="Rotate secret"
      variant="primary"
      icon={<KeyIcon size={16} />}
      busy={busy}
      onConfirm={() => void rotate()}
      onClose={onClose}
    >
      <p>
        Hookline makes a new secret for “{webhook.name}” and shows it once. Calls are signed with it from now
        on.
      </p>
      <p>
        The current secret keeps signing beside the new one for 24 hours, so receivers that check it go on
        accepting calls while you give them the new secret. After that, only the new one signs.
      </p>
    </ConfirmDialog>
  );
}
