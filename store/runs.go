package store

import (
	"bufio"
	"bytes"
	"container/heap"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
)

// A run is a sorted list of index entries written to a temporary file: an
// import writes the index keys of each slice's new leads as one run and
// merges all runs into the indexes when it commits, so every index page
// is written once, in key order, instead of once a slice (index keys of
// a slice fall all over the index). A run's file is unlinked as soon as
// it is created: it goes away with the process, however the process ends.
type run struct {
	f *os.File
}

// entry is one index entry: its key starts with the bucket it goes to
// (entryQueue, entrySeen).
type entry struct{ key, value []byte }

// The buckets a run's entries go to, in the order the merge writes them.
const (
	entryQueue byte = 'q'
	entrySeen  byte = 's'
)

// writeRun sorts entries by key and writes them to a new run in dir.
func writeRun(dir string, entries []entry) (*run, error) {
	slices.SortFunc(entries, func(a, b entry) int { return bytes.Compare(a.key, b.key) })
	f, err := os.CreateTemp(dir, ".followup-import-*.run")
	if err != nil {
		return nil, fmt.Errorf("create an index run: %w", err)
	}
	_ = os.Remove(f.Name()) // the open file lives on; a crash leaves nothing
	w := bufio.NewWriterSize(f, 256<<10)
	var n [binary.MaxVarintLen64]byte
	for _, e := range entries {
		w.Write(n[:binary.PutUvarint(n[:], uint64(len(e.key)))])
		w.Write(e.key)
		w.Write(n[:binary.PutUvarint(n[:], uint64(len(e.value)))])
		w.Write(e.value)
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return nil, fmt.Errorf("write an index run: %w", err)
	}
	return &run{f: f}, nil
}

func (r *run) close() error { return r.f.Close() }

// runReader reads a run back from its start, an entry at a time.
type runReader struct {
	r          *bufio.Reader
	order      int // the run's place: of equal keys, the earlier run's comes first
	key, value []byte
}

func newRunReader(r *run, order int) (*runReader, error) {
	if _, err := r.f.Seek(0, io.SeekStart); err != nil {
		return nil, fmt.Errorf("read an index run: %w", err)
	}
	return &runReader{r: bufio.NewReaderSize(r.f, 64<<10), order: order}, nil
}

// next reads the next entry; false at the end of the run.
func (rr *runReader) next() (bool, error) {
	var err error
	if rr.key, err = rr.field(rr.key); err != nil {
		if errors.Is(err, io.EOF) {
			return false, nil
		}
		return false, err
	}
	if rr.value, err = rr.field(rr.value); err != nil {
		return false, fmt.Errorf("read an index run: %w", io.ErrUnexpectedEOF)
	}
	return true, nil
}

func (rr *runReader) field(buf []byte) ([]byte, error) {
	n, err := binary.ReadUvarint(rr.r)
	if err != nil {
		return nil, err
	}
	buf = slices.Grow(buf[:0], int(n))[:n]
	if _, err := io.ReadFull(rr.r, buf); err != nil {
		return nil, io.ErrUnexpectedEOF
	}
	return buf, nil
}

// merger yields the entries of several runs in key order.
type merger []*runReader

func (m merger) Len() int { return len(m) }
func (m merger) Less(i, j int) bool {
	if c := bytes.Compare(m[i].key, m[j].key); c != 0 {
		return c < 0
	}
	return m[i].order < m[j].order
}
func (m merger) Swap(i, j int) { m[i], m[j] = m[j], m[i] }
func (m *merger) Push(x any)   { *m = append(*m, x.(*runReader)) }
func (m *merger) Pop() any {
	old := *m
	x := old[len(old)-1]
	*m = old[:len(old)-1]
	return x
}

// mergeRuns calls fn with every entry of runs in key order, and the
// index in runs of the run it is from. The key and value are only valid
// during the call.
func mergeRuns(runs []*run, fn func(key, value []byte, run int) error) error {
	m := make(merger, 0, len(runs))
	for i, r := range runs {
		rr, err := newRunReader(r, i)
		if err != nil {
			return err
		}
		ok, err := rr.next()
		if err != nil {
			return err
		}
		if ok {
			m = append(m, rr)
		}
	}
	heap.Init(&m)
	for len(m) > 0 {
		top := m[0]
		if err := fn(top.key, top.value, top.order); err != nil {
			return err
		}
		ok, err := top.next()
		if err != nil {
			return err
		}
		if ok {
			heap.Fix(&m, 0)
		} else {
			heap.Pop(&m)
		}
	}
	return nil
}
