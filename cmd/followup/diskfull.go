package main

import (
	"errors"
	"strings"
	"syscall"
)

// diskFull reports whether err is the disk (or the file's size limit)
// running out under a write. bbolt formats some of its write errors with
// %s, so the message is read as well as the chain.
func diskFull(err error) bool {
	if errors.Is(err, syscall.ENOSPC) || errors.Is(err, syscall.EFBIG) || errors.Is(err, syscall.EDQUOT) {
		return true
	}
	msg := err.Error()
	return strings.Contains(msg, "no space left on device") || strings.Contains(msg, "file too large") ||
		strings.Contains(msg, "disk quota exceeded")
}

// diskFullHint is what a failed write on a full disk adds to its message.
const diskFullHint = "; the disk is full (or the file reached its size limit), and nothing of this command was written: free some space and run it again"
