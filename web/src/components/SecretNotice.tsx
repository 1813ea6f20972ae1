// A webhook's signing secret in full: the API gives it only when the webhook is created and when
// its secret is rotated, so this is the one time to copy it.
import { useRef, useState, type ReactNode } from 'react';
import { CheckIcon, CopyIcon } from '../icons';
import { Alert, Button, useToast } from '../ui';

export function SecretNotice({
  secret,
  title = 'Signing secret: copy it now',
  children,
  onDismiss,
}: {
  secret: string;
  title?: string;
  children?: ReactNode;
  onDismiss: () => void;
}) {
  const toast = useToast();
  const code = useRef<HTMLElement>(null);
  const [copied, setCopied] = useState(false);
  const copy = async () => {
    try {
      if (!navigator.clipboard) throw new Error('no clipboard');
      await navigator.clipboard.writeText(secret);
      setCopied(true);
      toast('Signing secret copied');
    } catch {
      // Select it, for Ctrl+C.
      const range = document.createRange();
      if (code.current) range.selectNodeContents(code.current);
      window.getSelection()?.removeAllRanges();
      window.getSelection()?.addRange(range);
      toast('This browser did not allow copying: the secret is selected, copy it with Ctrl+C', 'danger');
    }
  };
  return (
    <Alert tone="success" title={title}>
      {children ?? (
        <>
          Receivers verify each call's <code>webhook-signature</code> with this secret. It is shown only
          once.
        </>
      )}
      <div className="secret-box">
        <code ref={code} data-testid="signing-secret">
          {secret}
        </code>
        <Button
          size="sm"
          icon={copied ? <CheckIcon size={14} /> : <CopyIcon size={14} />}
          onClick={() => void copy()}
        >
          {copied ? 'Copied' : 'Copy'}
        </Button>
        <Button size="sm" variant="ghost" onClick={onDismiss}>
          Dismiss
        </Button>
      </div>
    </Alert>
  );
}
