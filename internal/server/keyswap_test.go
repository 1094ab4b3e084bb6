package server

import (
	"io"
	"strings"
	"testing"

	gossh "golang.org/x/crypto/ssh"

	"github.com/followuphq/followup/internal/termtest"
)

// swappedSigner offers one public key and signs with another's private
// key: a client that names a key it does not hold, hoping the server
// remembers the key it was asked about instead of the one that signed.
type swappedSigner struct {
	offer gossh.PublicKey
	sign  gossh.Signer
}

func (s swappedSigner) PublicKey() gossh.PublicKey { return s.offer }
func (s swappedSigner) Sign(rand io.Reader, data []byte) (*gossh.Signature, error) {
	return s.sign.Sign(rand, data)
}

// Offering alice's key (the server accepts the offer: it is hers) but
// signing with bob's gets nobody in as alice, even when bob's own key is
// tried next in the same authentication.
func TestKeySwapMidAuthIsRefused(t *testing.T) {
	f := start(t)
	swap := swappedSigner{offer: f.keys["alice"].PublicKey(), sign: f.keys["bob"]}
	if c, err := f.dial("alice", gossh.PublicKeys(swap)); err == nil {
		c.Close()
		t.Fatal("a signature by bob's key opened a session as alice")
	}
	if c, err := f.dial("alice", gossh.PublicKeys(swap, f.keys["bob"])); err == nil {
		c.Close()
		t.Fatal("offering alice's key, then signing with bob's, opened a session as alice")
	}
}

// Alice's registered key offered for user bob is refused.
func TestKeyOfAliceForBobIsRefused(t *testing.T) {
	f := start(t)
	if c, err := f.dial("bob", gossh.PublicKeys(f.keys["alice"])); err == nil {
		c.Close()
		t.Fatal("alice's key opened a session as bob")
	}
}

// A key offered earlier in the authentication carries no identity: bob's
// client offers alice's key first (refused for bob), then swaps to bob's
// own. The session is bob's and shows bob's queue, not alice's leads.
func TestEarlierOfferedKeyDoesNotCarryOver(t *testing.T) {
	f := start(t)
	swap := swappedSigner{offer: f.keys["alice"].PublicKey(), sign: f.keys["bob"]}
	c, err := f.dial("bob", gossh.PublicKeys(swap, f.keys["bob"]))
	if err != nil {
		t.Fatalf("bob with his own key after a swapped one: %v", err)
	}
	defer c.Close()
	out := &termtest.Screen{}
	if _, err := openShell(c, out); err != nil {
		t.Fatal(err)
	}
	waitFor(t, out, "Your queue is empty")
	if strings.Contains(out.String(), "Dana Scully") {
		t.Error("bob's session shows alice's lead")
	}
}
