// The result of a webhook test (SPEC 6): success or failure, status, time, request, response.
import type { TestReport } from '../api';
import { AlertIcon, CheckIcon } from '../icons';
import { Code, HeadersTable } from '../ui';
import { prettyBody, sentence } from '../format';
import { FilterVerdict } from './FilterVerdict';

export function TestResult({ report }: { report: TestReport }) {
  const ok = report.success;
  return (
    <div className={`test-result ${ok ? 'ok' : 'failed'}`} role="region" aria-label="Test result">
      <div className="test-summary" role="status">
        <span className="test-icon">{ok ? <CheckIcon size={20} /> : <AlertIcon size={20} />}</span>
        <div>
          <div className="test-title">{ok ? 'Success' : 'Failure'}</div>
          <div className="test-sub">
            {report.status !== null ? (
              <>
                The receiver answered <strong>HTTP {report.status}</strong> in {report.duration_ms} ms.
                {!ok && report.status !== 200 && ' A test succeeds only on 200.'}
              </>
            ) : (
              // The reason shows here once; the Response column names its code.
              <>No response: {report.error ? sentence(report.error.message) : 'the call did not complete.'}</>
            )}
          </div>
        </div>
        <dl className="test-metrics">
          <div>
            <dt>Status</dt>
            <dd data-testid="test-status">{report.status ?? '—'}</dd>
          </div>
          <div>
            <dt>Time</dt>
            <dd data-testid="test-duration">{report.duration_ms} ms</dd>
          </div>
        </dl>
      </div>

      {report.filters && <FilterVerdict verdict={report.filters} />}

      {report.warnings.length > 0 && (
        <ul className="warnings" aria-label="Warnings">
          {report.warnings.map((w) => (
            <li key={w}>{w}</li>
          ))}
        </ul>
      )}

      <div className="exchange">
        <section aria-label="Request sent">
          <h4>Request sent</h4>
          <p className="mono small request-line">
            <span className="method">{report.request.method}</span> {report.request.url}
          </p>
          <HeadersTable headers={report.request.headers} />
          <Code label="Request body">{prettyBody(report.request.body)}</Code>
        </section>
        <section aria-label="Response">
          <h4>Response</h4>
          {report.response ? (
            <>
              <p className="mono small">HTTP {report.response.status}</p>
              <HeadersTable headers={report.response.headers} />
              <Code label="Response body">{prettyBody(report.response.body) || '(empty body)'}</Code>
              {report.response.body_truncated && (
                <p className="muted small">The body was longer; only its start is shown.</p>
              )}
            </>
          ) : (
            <p className="muted">
              No response was received
              {report.error && (
                <>
                  {' '}
                  (<code>{report.error.code}</code>)
                </>
              )}
              .
            </p>
          )}
        </section>
      </div>
    </div>
  );
}
