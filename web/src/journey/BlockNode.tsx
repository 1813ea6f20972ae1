// A journey block on the canvas: its kind, what it does, its counts and, after a failed save,
// what is wrong with it. Conditions have a "yes" and a "no" output, splits one per branch, a wait
// until an event a "happened" and a "timed_out", a webhook that waits for the answer a "succeeded"
// and a "failed"; a goal has neither input nor output (it stands alone).
import { createContext, memo, useContext, useEffect } from 'react';
import {
  Handle,
  Position,
  useStore,
  useUpdateNodeInternals,
  type Node,
  type NodeProps,
} from '@xyflow/react';
import { AlertIcon } from '../icons';
import { BlockCounts } from './BlockCounts';
import { blockSummary, type Lookups, TYPE_TITLES, typeIcon, typeTone } from './blocks';
import { hasInput, outputsOf } from './branches';
import type { FlowEdgeData } from './FlowEdge';
import type { BlockStats, BlockType } from '../api';
import { SplitOutputs } from './SplitOutputs';
import { UnmappedNote } from './UnmappedNote';
import { UNTIL_OUTCOMES, UNTIL_TITLES, untilMode } from './waitUntil';
import { ANSWER_OUTCOMES, ANSWER_TITLES, unmappedCount, waitsForAnswer } from './webhookAnswer';
import { OutcomeOutputs } from './OutcomeOutputs';

export type BlockData = {
  type: BlockType;
  config: Record<string, unknown>;
  error?: string;
  stats?: BlockStats;
};

export type BlockNodeType = Node<BlockData, 'block'>;

export const LookupContext = createContext<Lookups>({ webhooks: [], lists: [] });

function BlockNodeView({ id, data, selected }: NodeProps<BlockNodeType>) {
  const lookups = useContext(LookupContext);
  const { type, config, error, stats } = data;
  const summary = blockSummary(type, config, lookups);
  const unset = summary.startsWith('Choose') || summary.startsWith('Set a');
  const outputs = outputsOf(type, config);
  // React Flow measures a block's handles when the block changes size: outputs added, removed or
  // swapped (a split's branch, a wait until's mode, a webhook's wait) can leave the size as it was
  // and move the handles, so they are measured again.
  const updateNodeInternals = useUpdateNodeInternals();
  const handles = outputs.map((o) => o.handle ?? '').join(' ');
  useEffect(() => updateNodeInternals(id), [id, handles, updateNodeInternals]);
  // A condition's outputs whose wire is labelled with its count ("Yes · 12"): their own label
  // would say Yes or No twice.
  const counted = useStore((s) =>
    type === 'condition'
      ? s.edges
          .filter((e) => e.source === id && (e.data as FlowEdgeData | undefined)?.count !== undefined)
          .map((e) => e.sourceHandle)
          .join(' ')
      : '',
  );
  return (
    <div
      className={`block-node tone-${typeTone(type)} ${selected ? 'selected' : ''} ${error ? 'invalid' : ''}`}
      data-block-id={id}
      data-block-type={type}
      aria-label={`${TYPE_TITLES[type]}: ${summary}`}
    >
      {hasInput(type) && <Handle type="target" position={Position.Top} className="handle handle-in" />}
      <div className="block-head">
        <span className="block-icon">{typeIcon(type)}</span>
        <span className="block-title">{TYPE_TITLES[type]}</span>
        <span className="block-id">{id}</span>
      </div>
      <div className={`block-summary ${unset ? 'unset' : ''}`}>{summary}</div>
      {error && (
        <div className="block-error" role="alert">
          <AlertIcon size={14} /> <span>{error}</span>
        </div>
      )}
      {type === 'webhook' && unmappedCount(stats) > 0 && <UnmappedNote count={unmappedCount(stats)} />}
      {stats && <BlockCounts type={type} stats={stats} />}
      {type === 'condition' ? (
        <>
          <Handle
            type="source"
            id="yes"
            position={Position.Bottom}
            className="handle handle-yes"
            style={{ left: '28%' }}
          />
          {!counted.includes('yes') && (
            <span className="branch-label yes" style={{ left: '28%' }}>
              Yes
            </span>
          )}
          <Handle
            type="source"
            id="no"
            position={Position.Bottom}
            className="handle handle-no"
            style={{ left: '72%' }}
          />
          {!counted.includes('no') && (
            <span className="branch-label no" style={{ left: '72%' }}>
              No
            </span>
          )}
        </>
      ) : type === 'split' ? (
        <SplitOutputs config={config} />
      ) : type === 'wait_until' && untilMode(config) === 'event' ? (
        <OutcomeOutputs kind="until" outcomes={UNTIL_OUTCOMES} titles={UNTIL_TITLES} />
      ) : type === 'webhook' && waitsForAnswer(config) ? (
        <OutcomeOutputs kind="answer" outcomes={ANSWER_OUTCOMES} titles={ANSWER_TITLES} />
      ) : (
        outputs.length > 0 && (
          <Handle type="source" position={Position.Bottom} className="handle handle-out" />
        )
      )}
    </div>
  );
}

export const BlockNode = memo(BlockNodeView);
export const nodeTypes = { block: BlockNode };
