/**
 * Spark's UnsupportedOperationChecker for streaming queries, run at `start()`. Messages keep Spark's
 * wording (learners search for them); each error carries a stable `code`.
 */
import { AnalysisException } from '../errors.js';
import { exprSql, windowSpecSql } from '../expressions/expr-names.js';
import { visitExpr } from '../expressions/expr.js';
import type { OutputMode } from '../physical/operator.js';
import { isStreamingPlan, planChildren, visitPlan, type LogicalPlan } from './plan.js';
import type { PhysicalPlan } from './planner.js';

function fail(message: string, code: string): never {
  throw new AnalysisException(message, { code });
}

/** Checks that a streaming plan can run in `mode` (`conf`: the session settings). */
export function checkStreamingPlan(plan: LogicalPlan, physical: PhysicalPlan, mode: OutputMode, conf: Readonly<Record<string, string>> = {}): void {
  if ((conf['spark.sql.streaming.statefulOperator.allowMultiple'] ?? 'true') !== 'false') {
    // Spark 3.4+: a watermark defined on top of another one in the same input is rejected.
    visitPlan(plan, (p) => {
      if (p.kind !== 'EventTimeWatermark') return;
      let nested = false;
      visitPlan(p.child, (c) => {
        if (c.kind === 'EventTimeWatermark') nested = true;
      });
      if (nested) {
        fail("Redefining watermark is disallowed. You can set the config 'spark.sql.streaming.statefulOperator.allowMultiple' to 'false' to restore the previous behavior. Note that multiple stateful operators will be disallowed.", 'REDEFINING_WATERMARK');
      }
    });
  }
  const aggregates: LogicalPlan[] = [];
  let sessionWindow = false;
  const walk = (p: LogicalPlan): void => {
    const streaming = isStreamingPlan(p);
    if (p.kind === 'Aggregate' && streaming) {
      aggregates.push(p);
      for (const a of p.aggregates) visitExpr(a, (e) => {
        if (e.kind === 'call' && e.distinct) fail('Distinct aggregations are not supported on streaming DataFrames/Datasets. Consider using approx_count_distinct() instead.', 'STREAMING_DISTINCT_AGGREGATION');
      });
      for (const g of p.groupBy) visitExpr(g, (e) => {
        if (e.kind === 'call' && e.name === 'session_window') {
          sessionWindow = true;
          if (p.groupBy.length === 1) fail('Global aggregation with session window in streaming query is not supported.', 'STREAMING_GLOBAL_SESSION_WINDOW');
        }
      });
    }
    if (p.kind === 'Deduplicate' && p.withinWatermark && streaming && !hasWatermarkBelow(p)) {
      fail('dropDuplicatesWithinWatermark is not supported on streaming DataFrames/DataSets without watermark', 'STREAMING_DEDUPLICATE_WITHOUT_WATERMARK');
    }
    if (p.kind === 'Project' && streaming) {
      for (const e of p.exprs) visitExpr(e, (x) => {
        if (x.kind !== 'over') return;
        const column = e.kind === 'alias' ? e.name : exprSql(x);
        fail(`[NON_TIME_WINDOW_NOT_SUPPORTED_IN_STREAMING] Window function is not supported in ${exprSql(x.fn)} (as column \`${column}\`) on streaming DataFrames/Datasets. Structured Streaming only supports time-window aggregation using the WINDOW function. (window specification: (${windowSpecSql(x)}))`, 'NON_TIME_WINDOW_NOT_SUPPORTED_IN_STREAMING');
      });
    }
    if (p.kind === 'Sort' && streaming && !(mode === 'complete' && hasAggregateBelow(p))) {
      fail('Sorting is not supported on streaming DataFrames/Datasets, unless it is on aggregated DataFrame/Dataset in Complete output mode', 'STREAMING_SORT_NOT_SUPPORTED');
    }
    if (p.kind === 'Limit' && streaming && mode === 'update') {
      fail('Limits are not supported on streaming DataFrames/Datasets in Update output mode', 'STREAMING_LIMIT_NOT_SUPPORTED');
    }
    if (p.kind === 'Union') {
      const kinds = p.children.map(isStreamingPlan);
      if (kinds.some((k) => k) && kinds.some((k) => !k)) fail('Union between streaming and batch DataFrames/Datasets is not supported', 'STREAMING_UNION_WITH_BATCH');
    }
    if (p.kind === 'Join' && isStreamingPlan(p.left) && isStreamingPlan(p.right)) {
      fail('Stream-stream joins are not supported by Streamlab yet; join a stream with a static DataFrame instead.', 'STREAM_STREAM_JOIN_NOT_SUPPORTED');
    }
    if (p.kind === 'Join' && isStreamingPlan(p.right) && !isStreamingPlan(p.left) && (p.how === 'left' || p.how === 'left_anti' || p.how === 'left_semi')) {
      fail(`${p.how === 'left' ? 'LeftOuter' : p.how === 'left_anti' ? 'LeftAnti' : 'LeftSemi'} join with a streaming DataFrame/Dataset on the right and a static DataFrame/Dataset on the left is not supported`, 'STREAMING_JOIN_NOT_SUPPORTED');
    }
    if (p.kind === 'Join' && isStreamingPlan(p.left) && !isStreamingPlan(p.right) && p.how === 'right') {
      fail('RightOuter join with a streaming DataFrame/Dataset on the left and a static DataFrame/DataSet on the right not supported', 'STREAMING_JOIN_NOT_SUPPORTED');
    }
    if (p.kind === 'Join' && p.how === 'full' && isStreamingPlan(p.left) !== isStreamingPlan(p.right)) {
      const [stream, fixed] = isStreamingPlan(p.left) ? ['left', 'right'] : ['right', 'left'];
      fail(`FullOuter joins with streaming DataFrames/Datasets on the ${stream} and a static DataFrame/Dataset on the ${fixed} is not supported`, 'STREAMING_JOIN_NOT_SUPPORTED');
    }
    for (const c of planChildren(p)) walk(c);
  };
  walk(plan);
  if (aggregates.length > 1 && mode !== 'append') {
    fail('Multiple streaming aggregations are not supported with streaming DataFrames/Datasets', 'STREAMING_MULTIPLE_AGGREGATIONS');
  }
  if (mode === 'complete' && aggregates.length === 0) {
    fail('Complete output mode not supported when there are no streaming aggregations on streaming DataFrames/Datasets', 'STREAMING_COMPLETE_WITHOUT_AGGREGATION');
  }
  if (mode === 'update' && sessionWindow) {
    fail('Update output mode not supported for session window on streaming DataFrames/DataSets', 'STREAMING_UPDATE_SESSION_WINDOW');
  }
  if (mode === 'append') {
    const aggOps = physical.stateful.filter((s) => s.kind === 'aggregate' || s.kind === 'session');
    if (aggOps.some((s) => !s.hasEventTime)) {
      fail('Append output mode not supported when there are streaming aggregations on streaming DataFrames/DataSets without watermark', 'STREAMING_APPEND_WITHOUT_WATERMARK');
    }
  }
}

function hasWatermarkBelow(p: LogicalPlan): boolean {
  if (p.kind === 'EventTimeWatermark') return true;
  return planChildren(p).some(hasWatermarkBelow);
}

function hasAggregateBelow(p: LogicalPlan): boolean {
  if (p.kind === 'Aggregate') return true;
  return planChildren(p).some(hasAggregateBelow);
}
