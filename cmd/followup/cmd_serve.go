package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"runtime/debug"
	"syscall"
	"time"

	"github.com/followuphq/followup/internal/intake"
	"github.com/followuphq/followup/internal/server"
	"github.com/followuphq/followup/internal/snapshot"
)

func runServe(e *env, args []string) error {
	fs := e.newFlags("serve", "serve [--ssh ADDR] [--intake ADDR]")
	addr := fs.String("ssh", "127.0.0.1:23234", "the `address` to serve SSH on")
	intakeAddr := fs.String("intake", "", "also take leads over HTTP at this `address` (POST /v1/leads)")
	pos, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usageError("serve", "serve takes flags only, not %q", pos[0])
	}
	cfg, err := e.config()
	if err != nil {
		return err
	}
	s, err := e.open(writeOrCreate)
	if err != nil {
		return err
	}
	defer s.Close()
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w; is another server running there? Choose another with --ssh", *addr, err)
	}
	// A long-running server with many small sessions: collect garbage
	// sooner, for a smaller footprint per session.
	debug.SetGCPercent(50)
	logger := slog.New(slog.NewTextHandler(e.stderr, nil))
	srv, err := server.New(server.Options{
		Addr:        *addr,
		HostKeyPath: filepath.Join(filepath.Dir(s.Path()), "ssh_host_ed25519"),
		Store:       s,
		Policy:      cfg.Policy(),
		OutcomeKeys: cfg.OutcomeKeys(),
		PhoneRegion: cfg.Team.PhoneRegion,
		IdleTimeout: cfg.Server.IdleTimeout.Duration,
		MaxSessions: cfg.Server.MaxSessions,
		Logger:      logger,
		Goals:       cfg.ReportGoals(),
	})
	if err != nil {
		ln.Close()
		return err
	}
	if *intakeAddr != "" {
		if cfg.Intake.Token == "" {
			return fmt.Errorf("--intake needs a token: set token in the [intake] table of %s (e.g. openssl rand -hex 24)", cfg.Path())
		}
		h, err := intake.NewHandler(intake.HandlerOptions{Store: s, Token: cfg.Intake.Token, Region: cfg.Team.PhoneRegion,
			Location: cfg.Location(), Arrived: srv.Announce, Logger: logger,
			Method: cfg.Assign.Method, MinInteractions: cfg.Qualify.MinInteractions})
		if err != nil {
			return err
		}
		srv.OnTeamChange(h.TeamChanged)
		hln, err := net.Listen("tcp", *intakeAddr)
		if err != nil {
			return fmt.Errorf("listen on %s: %w; choose another with --intake", *intakeAddr, err)
		}
		web := &http.Server{Handler: h, ReadHeaderTimeout: 5 * time.Second, ReadTimeout: 10 * time.Second, WriteTimeout: 10 * time.Second}
		go web.Serve(hln)
		defer func() {
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			web.Shutdown(ctx)
		}()
		fmt.Fprintf(e.stdout, "followup takes leads at http://%s/v1/leads\n", hln.Addr())
	}
	// Beside the database, say how to connect: a local followup that finds
	// the database held reads it and tells the rep.
	_, port, _ := net.SplitHostPort(ln.Addr().String())
	hint := fmt.Sprintf("ssh -p %s NAME@HOST", port)
	if err := os.WriteFile(serveHintPath(s.Path()), []byte(hint+"\n"), 0o600); err != nil {
		return fmt.Errorf("write %s: %w", serveHintPath(s.Path()), err)
	}
	defer os.Remove(serveHintPath(s.Path()))

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if every := cfg.Backup.Every.Duration; every > 0 {
		dir := cfg.Backup.Dir
		if !filepath.IsAbs(dir) {
			dir = filepath.Join(filepath.Dir(s.Path()), dir)
		}
		snaps := &snapshot.Schedule{Source: s, Dir: dir, Keep: cfg.Backup.Keep, Logger: logger}
		ticker := time.NewTicker(every)
		snapCtx, cancelSnaps := context.WithCancel(ctx)
		snapsDone := make(chan struct{})
		go func() { snaps.Run(snapCtx, ticker.C); close(snapsDone) }()
		// A snapshot being written finishes before the database closes.
		defer func() { cancelSnaps(); ticker.Stop(); <-snapsDone }()
		logger.Info("snapshots", "every", every.String(), "keep", cfg.Backup.Keep, "dir", dir)
	}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	logger.Info("serving", "ssh", ln.Addr().String(), "db", s.Path())
	fmt.Fprintf(e.stdout, "followup serves %s over SSH on %s; reps connect with %s\n", s.Path(), ln.Addr(), hint)
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
	}
	logger.Info("shutting down: sessions are told to end")
	shutdown, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdown); err != nil && !errors.Is(err, context.DeadlineExceeded) {
		return fmt.Errorf("shut down: %w", err)
	}
	return nil
}

// serveHintPath is where a running server says how to connect to it.
func serveHintPath(db string) string { return db + ".serve" }
