package server

import (
	"strconv"
	"strings"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/ssh"
	"github.com/muesli/termenv"
)

// sessionRenderer builds a session's renderer from its terminal type and
// environment (never the server's terminal). It does not ask the client's
// terminal for its background colour: a client that does not answer would
// leave the session hanging. The background is taken from COLORFGBG when
// the client sends it, and is dark otherwise.
func sessionRenderer(sess ssh.Session) *lipgloss.Renderer {
	pty, _, ok := sess.Pty()
	if !ok || pty.Term == "" || pty.Term == "dumb" {
		return lipgloss.NewRenderer(sess, termenv.WithProfile(termenv.Ascii))
	}
	env := environ(append(sess.Environ(), "TERM="+pty.Term))
	r := lipgloss.NewRenderer(sess, termenv.WithEnvironment(env), termenv.WithUnsafe(), termenv.WithColorCache(true))
	r.SetHasDarkBackground(darkBackground(env.Getenv("COLORFGBG")))
	return r
}

// darkBackground reads COLORFGBG ("15;0": light text on colour 0): colours
// 0–6 and 8 are dark. Without it, assume dark.
func darkBackground(colorfgbg string) bool {
	parts := strings.Split(colorfgbg, ";")
	bg, err := strconv.Atoi(parts[len(parts)-1])
	if colorfgbg == "" || err != nil {
		return true
	}
	return bg <= 6 || bg == 8
}

// environ is a session's environment for termenv.
type environ []string

// Environ implements termenv.Environ.
func (e environ) Environ() []string { return e }

// Getenv implements termenv.Environ.
func (e environ) Getenv(k string) string {
	for _, v := range e {
		if strings.HasPrefix(v, k+"=") {
			return v[len(k)+1:]
		}
	}
	return ""
}
