// Metrics and time series of one run in a single pass over its events: the stream is annotated
// once (generations, account ledger) and shared by both operators. Used live by the runner and
// over a journal by `cascadelab report`, which is how both give the same numbers.

import { connect, forkJoin, of, type Observable, type OperatorFunction } from 'rxjs'
import type { VenueEvent } from '../engine/events.js'
import type { VenueConfig } from '../engine/venue_config.js'
import { annotate, type AnnotatedEvent } from './annotated_event.js'
import { metricsOf, type RunMetrics } from './metrics.js'
import { runSeries, type RunSeries } from './run_series.js'

export interface RunAnalysis { metrics: RunMetrics; series: RunSeries | null }

/** Metrics (and, with `series`, the time series) of a run's event stream. */
export function analyseRun(venue: VenueConfig, options: { series: boolean; bucketMs?: number }): OperatorFunction<VenueEvent, RunAnalysis> {
  return (source) => source.pipe(annotate(venue), connect((shared: Observable<AnnotatedEvent>) => forkJoin({
    metrics: shared.pipe(metricsOf()),
    series: options.series ? shared.pipe(runSeries(options.bucketMs)) : of(null),
  })))
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
