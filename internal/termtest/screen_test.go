package termtest

import (
	"testing"
	"time"
)

// Await returns as soon as the text is written, sees only what follows a
// Mark, gives up at the deadline, and stops waiting when the screen is
// closed.
func TestAwait(t *testing.T) {
	var s Screen
	done := make(chan bool)
	go func() { done <- s.Await("ready", time.Now().Add(time.Minute)) }()
	s.Write([]byte("get "))
	s.Write([]byte("ready\n"))
	if !<-done {
		t.Fatal("Await missed text written while it waited")
	}
	s.Mark()
	if s.Await("ready", time.Now()) {
		t.Error("Await found text written before the Mark")
	}
	if s.String() != "" || s.Tail(5) != "" {
		t.Errorf("after Mark: %q", s.String())
	}
	s.Write([]byte("0123456789"))
	if got := s.Tail(3); got != "789" {
		t.Errorf("Tail(3) = %q", got)
	}
	go func() { done <- s.Await("never", time.Now().Add(time.Minute)) }()
	s.Close()
	if <-done {
		t.Error("Await found text that was never written")
	}
	s.Close() // twice is fine
}
