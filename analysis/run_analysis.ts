// The summary, metrics and time series of one run in a single pass over its events: the stream
// is annotated once (cascade tree, account ledger) and shared by the summary fold and the
// series. Used live by the runner and over a journal by `inspect`, `report` and `export`, which
// is how all of them give the same numbers (and the same bytes).

import { connect, forkJoin, map, of, type Observable, type OperatorFunction } from 'rxjs'
import type { VenueEvent } from '../engine/events.js'
import type { VenueConfig } from '../engine/venue_config.js'
import { annotate, Annotator, type AnnotatedEvent } from './annotated_event.js'
import { metricsOf, type RunMetrics } from './metrics.js'
import { RunAggregator, runSummary, type RunSummary } from './run_summary.js'
import { runSeries, type RunSeries } from './run_series.js'

export interface RunAnalysis { summary: RunSummary; metrics: RunMetrics; series: RunSeries | null }

/** Summary, metrics (and, with `series`, the time series) of a run's event stream. */
export function analyseRun(venue: VenueConfig, options: { series: boolean; bucketMs?: number }): OperatorFunction<VenueEvent, RunAnalysis> {
  return (source) => source.pipe(annotate(venue), connect((shared: Observable<AnnotatedEvent>) => forkJoin({
    summary: shared.pipe(runSummary(venue)),
    series: options.series ? shared.pipe(runSeries(options.bucketMs)) : of(null),
  })), map(({ summary, series }) => ({ summary, metrics: metricsOf(summary), series })))
}

/** The same summary fed event by event, without rxjs: a simulation sink, or a loop over a journal. */
export class SummarySink {
  private readonly annotator: Annotator
  readonly aggregator: RunAggregator

  constructor(venue: VenueConfig) {
    this.annotator = new Annotator(venue)
    this.aggregator = new RunAggregator(venue)
  }

  event(event: VenueEvent): void {
    this.aggregator.add(this.annotator.add(event))
  }

  checkpoint(): void {}

  /** The summary of the events so far. */
  finish(): RunSummary {
    return this.aggregator.finish()
  }
}

/** The same summary folded synchronously over `events` (for `inspect`, which also needs the tree). */
export function aggregateEvents(venue: VenueConfig, events: Iterable<VenueEvent>): RunAggregator {
  const sink = new SummarySink(venue)
  for (const event of events) sink.event(event)
  return sink.aggregator
}

/** Subscribes `analysis` to a stream and returns a getter for its result (set once the stream completes). */
export function collect<T>(stream: Observable<T>): () => T {
  let result: { value: T } | null = null
  let failure: unknown = null
  stream.subscribe({ next: (value) => { result = { value } }, error: (error) => { failure = error } })
  return () => {
    if (failure !== null) throw failure
    if (result === null) throw new Error('analysis: the event stream has not completed')
    return (result as { value: T }).value
  }
}
