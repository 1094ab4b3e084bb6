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
	// free are slices the store is done with, to be filled again: an
	// import holds a slice until the next is entered (it writes it
	// meanwhile).
	free   chan []store.Arrival
	done   chan error
	failed atomic.Bool
	finish func() error
}

// newSliceWriter starts a writer that enters each slice with enter and
// adds its results to sum; sum is the writer's until wait returns.
func newSliceWriter(enter func([]store.Arrival) ([]store.ArrivalResult, error), sum *importSummary) *sliceWriter {
	w := &sliceWriter{slices: make(chan []store.Arrival, 1), free: make(chan []store.Arrival, 2), done: make(chan error, 1)}
	w.finish = sync.OnceValue(func() error {
		close(w.slices)
		return <-w.done
	})
	go func() {
		var err error
		var held []store.Arrival // the slice the store may still be writing
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
			if held != nil {
				select {
				case w.free <- held:
				default:
				}
			}
			held = arrivals
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

// buffer returns an empty slice of room for n arrivals, reusing one
// the store is done with when there is one.
func (w *sliceWriter) buffer(n int) []store.Arrival {
	select {
	case b := <-w.free:
		clear(b) // nothing of the slice before stays reachable
		return b[:0]
	default:
		return make([]store.Arrival, 0, n)
	}
}

// wait waits for every slice handed over to be entered and returns the
// first error; it may be called more than once.
func (w *sliceWriter) wait() error { return w.finish() }
