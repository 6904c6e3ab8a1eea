package stack

import "errors"

// Link carries Ethernet frames (destination MAC first, no frame check
// sequence) between the stack and a network: a TAP device (OpenTAP) or
// memory (NewPipe). A stack's event loop is the only reader of its link;
// writes come from the loop too.
type Link interface {
	// ReadFrame reads the next frame into buf and returns its length; a
	// frame longer than buf is cut to len(buf). It blocks until a frame
	// arrives, and returns ErrClosed once the link is closed.
	ReadFrame(buf []byte) (int, error)
	// WriteFrame sends one frame. The link does not keep frame.
	WriteFrame(frame []byte) error
	// Close closes the link; a ReadFrame blocked in another goroutine
	// returns ErrClosed.
	Close() error
}

// ErrClosed is what a Link's ReadFrame and WriteFrame return after Close.
var ErrClosed = errors.New("stack: link closed")

// MaxFrame is the largest frame the stack reads or writes: a 1500-byte
// IP packet (the Ethernet MTU) with its 14-byte header and room for an
// 802.1Q tag.
const MaxFrame = 1518
