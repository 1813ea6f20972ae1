// Over the canvas while an older version is shown: which one, that it is read only and that the
// contacts who entered on it finish on it, how many entered on it and wait on it now, and the way
// back.
import { Alert, Button } from '../ui';
import { enteredText, viewingText, waitingText } from './versions';

export function VersionBanner({
  version,
  of,
  entered,
  waiting,
  busy,
  onBack,
}: {
  version: number;
  of: number; // the current version
  entered: number | null; // null: not counted
  waiting: number | null;
  busy: boolean;
  onBack: () => void;
}) {
  return (
    <div className="version-banner">
      <Alert tone="info">
        <span>
          {viewingText(version, of)}
          {entered !== null && ` ${enteredText(entered)}`}
          {waiting !== null && ` ${waitingText(waiting)}`}
        </span>
        <Button size="sm" busy={busy} onClick={onBack}>
          Back to the current version
        </Button>
      </Alert>
    </div>
  );
}
