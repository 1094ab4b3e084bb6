package main

import (
	"sync"
	"sync/atomic"

	"github.com/followuphq/followup/store"
)

// sliceWriter enters an import's slices into the store on its own
// goroutine, in order, while the next slice is read: reading a slice and
// writing one take about as long, and neither waits for the other.
type sliceWriter struct {
	slices chan []store.Arrival
	done   chan error
	failed atomic.Bool
	finish func() error
}

// newSliceWriter starts a writer that enters each slice with enter and
// adds its results to sum; sum is the writer's until wait returns.
func newSliceWriter(enter func([]store.Arrival) ([]store.ArrivalResult, error), sum *importSummary) *sliceWriter {
	w := &sliceWriter{slices: make(chan []store.Arrival, 1), done: make(chan error, 1)}
	w.finish = sync.OnceValue(func() error {
		close(w.slices)
		return <-w.done
	})
	go func() {
		var err error
		for arrivals := range w.slices {
			if err != nil {
				continue // the import has failed: let the reader stop
			}
			var results []store.ArrivalResult
			if results, err = enter(arrivals); err != nil {
				w.failed.Store(true)
				continue
			}
			sum.add(arrivals, results)
		}
		w.done <- err
	}()
	return w
}

// write hands a slice to the writer, which owns it from then on. It
// returns the writer's error once it has one.
func (w *sliceWriter) write(arrivals []store.Arrival) error {
	if w.failed.Load() {
		return w.wait()
	}
	w.slices <- arrivals
	return nil
}

// wait waits for every slice handed over to be entered and returns the
// first error; it may be called more than once.
func (w *sliceWriter) wait() error { return w.finish() }
