// Package termtest holds what the tests of terminal sessions share: a
// screen that collects what a process or a session writes, and lets a
// test wait for text to arrive in it without polling.
package termtest

import (
	"bytes"
	"sync"
	"time"
)

// Screen collects what is written to it. It is safe to read while it is
// written, and each write wakes whoever awaits text. The zero value is
// ready to use.
type Screen struct {
	mu     sync.Mutex
	buf    []byte
	wake   chan struct{} // closed and replaced on every write
	gone   chan struct{} // closed by Close
	closed bool
}

// init makes the channels of a zero Screen; s.mu must be held.
func (s *Screen) init() {
	if s.wake == nil {
		s.wake = make(chan struct{})
	}
	if s.gone == nil {
		s.gone = make(chan struct{})
	}
}

// Write appends p and wakes whoever awaits text.
func (s *Screen) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.init()
	s.buf = append(s.buf, p...)
	close(s.wake)
	s.wake = make(chan struct{})
	return len(p), nil
}

// String returns what was written since the last Mark.
func (s *Screen) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return string(s.buf)
}

// Tail returns the last n bytes written since the last Mark.
func (s *Screen) Tail(n int) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return string(s.buf[max(0, len(s.buf)-n):])
}

// Mark forgets what was written so far: String, Tail and Await see only
// what comes after.
func (s *Screen) Mark() {
	s.mu.Lock()
	s.buf = s.buf[:0]
	s.mu.Unlock()
}

// Close says nothing more will be written (the session ended): Await
// stops waiting.
func (s *Screen) Close() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.init()
	if !s.closed {
		s.closed = true
		close(s.gone)
	}
}

// Await waits until text is on the screen (since the last Mark), and
// reports whether it came before the deadline and before Close.
func (s *Screen) Await(text string, deadline time.Time) bool {
	timer := time.NewTimer(time.Until(deadline))
	defer timer.Stop()
	for {
		s.mu.Lock()
		s.init()
		found, wake, gone := bytes.Contains(s.buf, []byte(text)), s.wake, s.gone
		s.mu.Unlock()
		if found {
			return true
		}
		select {
		case <-wake:
		case <-timer.C:
			return false
		case <-gone:
			s.mu.Lock()
			defer s.mu.Unlock()
			return bytes.Contains(s.buf, []byte(text))
		}
	}
}
