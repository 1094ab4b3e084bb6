package server

import (
	"fmt"

	"github.com/charmbracelet/ssh"
	"github.com/charmbracelet/wish"
	gossh "golang.org/x/crypto/ssh"

	"github.com/followuphq/followup/cadence"
)

type ctxKey string

const (
	ctxFingerprint ctxKey = "followup-fingerprint"
	ctxRep         ctxKey = "followup-rep"
	ctxAccess      ctxKey = "followup-access"
)

// repKey reports whether key is one of the rep's registered keys.
func repKey(r cadence.Rep, key ssh.PublicKey) bool {
	for _, line := range r.Keys {
		k, _, _, _, err := gossh.ParseAuthorizedKey([]byte(line))
		if err == nil && ssh.KeysEqual(k, key) {
			return true
		}
	}
	return false
}

// publicKey is the public-key callback: the key must be registered to the
// user the client names. It only records the key's fingerprint; the
// session middleware checks that the key the session really authenticated
// with is that one (a client may offer one key and sign with another).
func (s *Server) publicKey(ctx ssh.Context, key ssh.PublicKey) bool {
	r, err := s.store.Rep(ctx.User())
	if err != nil || !repKey(r, key) {
		return false
	}
	ctx.SetValue(ctxFingerprint, gossh.FingerprintSHA256(key))
	return true
}

// refuse answers a client whose keys were all refused, through
// keyboard-interactive, so that it shows why instead of a bare
// "Permission denied".
func (s *Server) refuse(ctx ssh.Context, challenge gossh.KeyboardInteractiveChallenge) bool {
	msg := fmt.Sprintf("followup: no key of yours is registered for %q. Ask your admin to run:\n  followup reps add %s --role rep --key \"$(cat ~/.ssh/id_ed25519.pub)\"\n",
		ctx.User(), ctx.User())
	_, _ = challenge(ctx.User(), msg, nil, nil)
	return false
}

// authorize is the session middleware that decides, once, who this is:
// the key the session authenticated with must be the one recorded at
// authentication and be registered to the user. It puts the rep in the
// session's context.
func (s *Server) authorize(next ssh.Handler) ssh.Handler {
	return func(sess ssh.Session) {
		key := sess.PublicKey()
		want, _ := sess.Context().Value(ctxFingerprint).(string)
		r, err := s.store.Rep(sess.User())
		if key == nil || err != nil || want == "" || gossh.FingerprintSHA256(key) != want || !repKey(r, key) {
			wish.Fatalln(sess, "followup: this key is not registered for "+sess.User()+"; ask your admin to add it with followup reps add")
			return
		}
		access := AccessOf(r.Role)
		if access == NoAccess {
			wish.Fatalln(sess, "followup: "+sess.User()+" has no access")
			return
		}
		sess.Context().SetValue(ctxRep, r)
		sess.Context().SetValue(ctxAccess, access)
		next(sess)
	}
}
