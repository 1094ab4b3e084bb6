package server

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/ssh"
	"github.com/charmbracelet/wish"
)

// commands runs a command named on the ssh command line instead of the
// workstation, for admins: the team changes of admin.go, and backup, which
// streams a consistent copy of the database to the client's standard output,
//
//	ssh -p 23234 admin@host backup > followup-backup.db
//
// while the server goes on serving.
func (s *Server) commands(next ssh.Handler) ssh.Handler {
	return func(sess ssh.Session) {
		cmd := sess.Command()
		if len(cmd) == 0 {
			next(sess)
			return
		}
		access, _ := sess.Context().Value(ctxAccess).(Access)
		if run := s.adminCommand(sess.User(), cmd); run != nil {
			name := cmd[0]
			if name == "reps" {
				name += " " + cmd[1] // reps away, reps back
			}
			if access < Admin {
				s.log.Warn("command refused", "user", sess.User(), "access", access.String(), "command", name)
				wish.Fatalln(sess, "followup: "+name+" is for admins; "+sess.User()+" is not one")
				return
			}
			out, err := run()
			if err != nil {
				wish.Fatalln(sess, "followup: "+err.Error())
				return
			}
			s.log.Info("command", "user", sess.User(), "command", name)
			wish.Println(sess, out)
			_ = sess.Exit(0)
			return
		}
		switch {
		case len(cmd) != 1 || cmd[0] != "backup":
			wish.Fatalln(sess, fmt.Sprintf("followup: %q is not a command of the server; connect without one (ssh -t) for the workstation; admins may run backup, reps away NAME --until DATE, reps back NAME, assign LEAD --to REP", strings.Join(cmd, " ")))
		case access < Admin:
			s.log.Warn("backup refused", "user", sess.User(), "access", access.String())
			wish.Fatalln(sess, "followup: backup is for admins; "+sess.User()+" is not one")
		default:
			n, err := s.store.WriteTo(sess)
			if err != nil {
				s.log.Error("backup over SSH failed", "user", sess.User(), "error", err)
				wish.Fatalln(sess, "followup: the backup failed part way; discard what was written and try again")
				return
			}
			s.log.Info("backup over SSH", "user", sess.User(), "bytes", n)
			_ = sess.Exit(0)
		}
	}
}
