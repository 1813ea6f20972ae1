// Asks before a page with unsaved changes is left through the app (a link, Back, Sign out).
import { useEffect, useState } from 'react';
import { onLeaveRequest, type LeaveRequest } from '../router';
import { Button, Modal } from '../ui';

export function LeaveConfirm() {
  const [request, setRequest] = useState<LeaveRequest | null>(null);
  useEffect(() => {
    onLeaveRequest(setRequest);
    return () => onLeaveRequest(null);
  }, []);
  if (!request) return null;
  return (
    <Modal
      title="Leave without saving?"
      onClose={() => setRequest(null)}
      footer={
        <>
          <Button variant="secondary" onClick={() => setRequest(null)}>
            Stay on this page
          </Button>
          <Button variant="danger" onClick={request.proceed}>
            Discard changes
          </Button>
        </>
      }
    >
      <p>{request.reason} If you leave now, they are lost.</p>
    </Modal>
  );
}
