// Package server is `followup serve`: the one process that owns the
// database, serving the rep's workstation over SSH to every rep at once.
// Reps authenticate with their registered public keys only; each session
// gets its own renderer, keymap and styles, and a write in any session
// reaches every other within a moment.
package server

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"sync"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/ssh"
	"github.com/charmbracelet/wish"
	"github.com/charmbracelet/wish/bubbletea"
	"github.com/charmbracelet/wish/ratelimiter"
	wishrecover "github.com/charmbracelet/wish/recover"
	"golang.org/x/time/rate"

	"github.com/followuphq/followup/cadence"
	"github.com/followuphq/followup/internal/report"
	"github.com/followuphq/followup/store"
	"github.com/followuphq/followup/ui"
)

// Options configure a Server.
type Options struct {
	Addr        string // e.g. 127.0.0.1:23234
	HostKeyPath string // ed25519 host key, created (0600) on first run
	Store       *store.Store
	Policy      cadence.Policy
	OutcomeKeys map[cadence.Outcome]string
	PhoneRegion string
	Now         func() time.Time
	IdleTimeout time.Duration // a session idle this long is closed; 0 means 30 minutes
	MaxSessions int           // 0 means 200
	Logger      *slog.Logger
	// Goals are the team's targets, marked in the managers' view.
	Goals report.Goals
}

// Server is a running SSH server.
type Server struct {
	opts  Options
	store *store.Store
	hub   *hub
	ssh   *ssh.Server
	log   *slog.Logger

	mu       sync.Mutex
	programs map[*tea.Program]bool
	closing  bool
	// accepting is closed once Serve is accepting connections (nil before
	// Serve): Shutdown waits for it, since the SSH library's Shutdown
	// races with a Serve that has not yet registered its listener.
	accepting   chan struct{}
	teamChanged func()         // told when an admin changes who is on duty
	open        int            // sessions open
	perUser     map[string]int // sessions open per user
	sessions    sync.WaitGroup // session handlers running
}

// New builds the server (and its host key, when missing).
func New(opts Options) (*Server, error) {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.IdleTimeout == 0 {
		opts.IdleTimeout = 30 * time.Minute
	}
	if opts.MaxSessions == 0 {
		opts.MaxSessions = 200
	}
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	s := &Server{opts: opts, store: opts.Store, hub: newHub(), log: opts.Logger, programs: map[*tea.Program]bool{}, perUser: map[string]int{}}
	srv, err := wish.NewServer(
		wish.WithAddress(opts.Addr),
		wish.WithHostKeyPath(opts.HostKeyPath),
		wish.WithPublicKeyAuth(s.publicKey),
		wish.WithKeyboardInteractiveAuth(s.refuse),
		wish.WithIdleTimeout(opts.IdleTimeout),
		// wish runs the last middleware first: authorize, then log, then
		// limit, then a command (backup) or the workstation, all under
		// recover.
		wish.WithMiddleware(
			wishrecover.Middleware(
				s.workstation,
				s.commands,
				s.limit,
				ratelimiter.Middleware(ratelimiter.NewRateLimiter(rate.Limit(10), 100, 4096)), // per IP: a whole office may share one
				s.logSessions,
				s.authorize,
			),
		),
	)
	if err != nil {
		return nil, fmt.Errorf("set up the SSH server: %w", err)
	}
	s.ssh = srv
	return s, nil
}

// Serve accepts sessions on ln until Shutdown.
func (s *Server) Serve(ln net.Listener) error {
	s.mu.Lock()
	if s.closing {
		s.mu.Unlock()
		ln.Close()
		return nil
	}
	accepting := make(chan struct{})
	s.accepting = accepting
	s.mu.Unlock()
	ln = &signallingListener{Listener: ln, accepting: accepting}
	if err := s.ssh.Serve(ln); err != nil && !errors.Is(err, ssh.ErrServerClosed) {
		return fmt.Errorf("serve SSH on %s: %w", ln.Addr(), err)
	}
	return nil
}

// Shutdown tells every session to end (each saves the note being typed),
// stops accepting new ones and waits, until ctx is done, for them to close.
//
// Sessions still running when ctx is done are killed, and Shutdown returns
// only when every session handler has finished (each saves its draft
// first): the caller may then close the database.
func (s *Server) Shutdown(ctx context.Context) error {
	s.mu.Lock()
	s.closing = true
	for p := range s.programs {
		p.Quit()
	}
	accepting := s.accepting
	s.mu.Unlock()
	if accepting != nil {
		select {
		case <-accepting:
		case <-ctx.Done():
		}
	}
	err := s.ssh.Shutdown(ctx)
	if err != nil {
		s.mu.Lock()
		for p := range s.programs {
			p.Kill()
		}
		s.mu.Unlock()
		s.ssh.Close()
	}
	s.sessions.Wait()
	return err
}

// signallingListener closes accepting on its first Accept.
type signallingListener struct {
	net.Listener
	once      sync.Once
	accepting chan struct{}
}

func (l *signallingListener) Accept() (net.Conn, error) {
	l.once.Do(func() { close(l.accepting) })
	return l.Listener.Accept()
}

// Announce tells the open sessions of a lead's owner, and the managers',
// that it changed (for writers outside the sessions, such as the HTTP
// intake).
func (s *Server) Announce(id cadence.LeadID) {
	l, err := s.store.Lead(id)
	if err != nil {
		s.hub.publish(id) // everyone: better than no one
		return
	}
	s.hub.publish(id, l.Owner)
}

// OnTeamChange sets fn to be told whenever an admin sends a rep away or
// brings one back over SSH (the HTTP intake reads the team again).
func (s *Server) OnTeamChange(fn func()) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.teamChanged = fn
}

// limit refuses sessions past the maximum.
// A rep needs a few sessions (two terminals, a laptop), not the server.
const maxSessionsPerUser = 8

func (s *Server) limit(next ssh.Handler) ssh.Handler {
	return func(sess ssh.Session) {
		s.mu.Lock()
		closing, user, all := s.closing, s.perUser[sess.User()], s.open
		if !closing && user < maxSessionsPerUser && all < s.opts.MaxSessions {
			s.perUser[sess.User()]++
			s.open++
		}
		s.mu.Unlock()
		switch {
		case closing:
			wish.Fatalln(sess, "followup: the server is shutting down; connect again in a minute")
			return
		case user >= maxSessionsPerUser:
			wish.Fatalln(sess, fmt.Sprintf("followup: %s has %d sessions open already; close one first", sess.User(), user))
			return
		case all >= s.opts.MaxSessions:
			wish.Fatalln(sess, "followup: the server is full; try again in a minute")
			return
		}
		s.sessions.Add(1)
		defer func() {
			s.mu.Lock()
			s.perUser[sess.User()]--
			s.open--
			s.mu.Unlock()
			s.sessions.Done()
		}()
		next(sess)
	}
}

// logSessions logs each session's start and end, with who, what role and
// how long. Nothing a rep types is logged.
func (s *Server) logSessions(next ssh.Handler) ssh.Handler {
	return func(sess ssh.Session) {
		r, _ := sess.Context().Value(ctxRep).(cadence.Rep)
		start := time.Now()
		access, _ := sess.Context().Value(ctxAccess).(Access)
		s.log.Info("session start", "user", sess.User(), "role", r.Role.String(), "access", access.String(), "remote", sess.RemoteAddr().String())
		next(sess)
		s.log.Info("session end", "user", sess.User(), "role", r.Role.String(), "duration", time.Since(start).Round(time.Second).String())
	}
}

// workstation runs the rep's workstation in the session's terminal, with
// a renderer, keymap and styles of its own, the pty's size at start and on
// every resize, and live updates from the other sessions.
func (s *Server) workstation(next ssh.Handler) ssh.Handler {
	return func(sess ssh.Session) {
		pty, windows, ok := sess.Pty()
		if !ok {
			wish.Fatalln(sess, "followup: this needs a terminal; connect with ssh -t")
			return
		}
		r, _ := sess.Context().Value(ctxRep).(cadence.Rep)
		access, _ := sess.Context().Value(ctxAccess).(Access)
		owner := r.Name // a rep hears of their own leads
		if access < ReadWrite {
			owner = "" // a manager of everyone's
		}
		changes, cancel := s.hub.subscribe(owner)
		defer cancel()
		var model tea.Model
		var extra []tea.ProgramOption
		if access < ReadWrite {
			// Read-only by construction: the view gets a store with no
			// write method, and a filter drops write keys as a last guard.
			model = ui.NewCompliance(ui.ComplianceOptions{
				Renderer:    sessionRenderer(sess),
				Store:       s.store,
				Policy:      s.opts.Policy,
				Manager:     r.Name,
				OutcomeKeys: s.opts.OutcomeKeys,
				Now:         s.opts.Now,
				Changes:     changes,
				Goals:       s.opts.Goals,
			})
			extra = append(extra, tea.WithFilter(ui.ReadOnlyFilter(s.opts.OutcomeKeys)))
		}
		if model == nil {
			m, err := ui.New(ui.Options{
				Renderer:    sessionRenderer(sess),
				Store:       s.store,
				Writer:      publishingStore{Store: s.store, hub: s.hub},
				Policy:      s.opts.Policy,
				Rep:         r.Name,
				OutcomeKeys: s.opts.OutcomeKeys,
				PhoneRegion: s.opts.PhoneRegion,
				Now:         s.opts.Now,
				Changes:     changes,
			})
			if err != nil {
				wish.Fatalln(sess, "followup: "+err.Error())
				return
			}
			model = m
		}
		// 20 frames a second at most: plenty for typing, and far fewer
		// wake-ups per idle session than the default 60. No signal handler:
		// SIGINT and SIGTERM are the server's (Shutdown quits each program);
		// a program listening for them too would race Shutdown's quit and
		// could block for ever sending to an event loop that has ended.
		opts := append(append(bubbletea.MakeOptions(sess), tea.WithAltScreen(), tea.WithFPS(20), tea.WithoutSignalHandler()), extra...)
		p := tea.NewProgram(model, opts...)
		s.track(p, true)
		defer s.track(p, false)
		ctx, stop := context.WithCancel(sess.Context())
		defer stop()
		go func() {
			p.Send(tea.WindowSizeMsg{Width: pty.Window.Width, Height: pty.Window.Height})
			for {
				select {
				case <-ctx.Done():
					p.Quit()
					return
				case w, ok := <-windows:
					if !ok {
						// The session's channel closed under a live
						// connection: end the program, or it would spin.
						p.Quit()
						return
					}
					p.Send(tea.WindowSizeMsg{Width: w.Width, Height: w.Height})
				}
			}
		}()
		final, err := p.Run()
		p.Kill()
		// A dropped connection loses no note: what was typed is a draft.
		if fm, ok := final.(ui.Model); ok {
			if lead, text, unsaved := fm.UnsavedDraft(); unsaved {
				if err := s.store.SaveDraft(r.Name, lead, text); err != nil {
					s.log.Error("save the draft of a closing session", "user", r.Name, "error", err)
				}
			}
		}
		if err != nil && !errors.Is(err, tea.ErrProgramKilled) {
			s.log.Error("session program", "user", r.Name, "error", err)
		}
		s.mu.Lock()
		closing := s.closing
		s.mu.Unlock()
		if closing {
			wish.Println(sess, "followup: the server is shutting down; what you typed is saved. Connect again in a minute.")
		}
		next(sess)
	}
}

func (s *Server) track(p *tea.Program, on bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if on {
		s.programs[p] = true
	} else {
		delete(s.programs, p)
	}
}
