// Package snapshot takes the scheduled backups of a database in use
// (followup serve's [backup] table) and keeps the newest few.
package snapshot

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// Source is what a snapshot copies: a store's consistent hot copy.
type Source interface {
	Backup(path string) (int64, error)
}

// Schedule writes snapshots named followup-YYYYMMDDTHHMMSSZ.db into Dir
// and keeps the newest Keep of them. Files of any other name in Dir are
// never touched.
type Schedule struct {
	Source Source
	Dir    string
	Keep   int
	Logger *slog.Logger
}

const (
	prefix = "followup-"
	suffix = ".db"
	stamp  = "20060102T150405Z"
)

// Name is the file name of the snapshot taken at t.
func Name(t time.Time) string { return prefix + t.UTC().Format(stamp) + suffix }

// Take writes the snapshot of now and then removes the oldest snapshots
// past Keep. It returns the new file's path and size.
func (s *Schedule) Take(now time.Time) (string, int64, error) {
	if err := os.MkdirAll(s.Dir, 0o700); err != nil {
		return "", 0, fmt.Errorf("snapshot: create the folder %s: %w", s.Dir, err)
	}
	path := filepath.Join(s.Dir, Name(now))
	n, err := s.Source.Backup(path)
	if err != nil {
		return "", 0, fmt.Errorf("snapshot: %w", err)
	}
	return path, n, s.prune()
}

// List returns the snapshots in Dir, oldest first.
func (s *Schedule) List() ([]string, error) {
	entries, err := os.ReadDir(s.Dir)
	if err != nil {
		return nil, fmt.Errorf("snapshot: read the folder %s: %w", s.Dir, err)
	}
	var names []string
	for _, e := range entries {
		if isSnapshot(e.Name()) && e.Type().IsRegular() {
			names = append(names, e.Name())
		}
	}
	slices.Sort(names) // the stamp sorts as time
	return names, nil
}

func isSnapshot(name string) bool {
	t, ok := strings.CutPrefix(name, prefix)
	if !ok {
		return false
	}
	t, ok = strings.CutSuffix(t, suffix)
	if !ok {
		return false
	}
	_, err := time.Parse(stamp, t)
	return err == nil
}

func (s *Schedule) prune() error {
	names, err := s.List()
	if err != nil {
		return err
	}
	for len(names) > max(s.Keep, 1) {
		if err := os.Remove(filepath.Join(s.Dir, names[0])); err != nil {
			return fmt.Errorf("snapshot: remove the old snapshot: %w", err)
		}
		names = names[1:]
	}
	return nil
}

// Run takes a snapshot at each tick until ctx ends, logging each one and
// each failure (a failed snapshot is tried again at the next tick).
func (s *Schedule) Run(ctx context.Context, ticks <-chan time.Time) {
	log := s.Logger
	if log == nil {
		log = slog.Default()
	}
	for {
		select {
		case <-ctx.Done():
			return
		case now := <-ticks:
			start := time.Now()
			path, n, err := s.Take(now)
			if err != nil {
				log.Error("snapshot failed", "error", err)
				continue
			}
			log.Info("snapshot", "file", path, "bytes", n, "took", time.Since(start).Round(time.Millisecond).String())
		}
	}
}
