package stack

import (
	"os"
	"sync"
	"time"
)

// pipeSlots is how many frames each direction of a pipe holds; a write to
// a full direction drops the frame, as a full NIC ring would.
const pipeSlots = 64

// NewPipe returns the two ends of an in-memory link: a frame written to
// one end is read from the other. Each direction holds up to 64 frames of
// up to MaxFrame bytes in buffers allocated here, so that reading and
// writing allocate nothing; a write to a full direction is dropped and
// counted (PipeEnd.Dropped). Tests and benchmarks run the stack on one end
// and play the network on the other.
func NewPipe() (a, b *PipeEnd) {
	ab, ba := newQueue(), newQueue()
	return &PipeEnd{in: ba, out: ab}, &PipeEnd{in: ab, out: ba}
}

// PipeEnd is one end of an in-memory link (NewPipe). It implements Link.
type PipeEnd struct {
	in, out *queue
}

// ReadFrame reads the next frame written to the other end.
func (e *PipeEnd) ReadFrame(buf []byte) (int, error) { return e.in.get(buf) }

// WriteFrame sends frame to the other end; it copies frame, cut to
// MaxFrame bytes.
func (e *PipeEnd) WriteFrame(frame []byte) error { return e.out.put(frame) }

// Close closes both directions: reads at either end return ErrClosed
// once the frames already sent are read.
func (e *PipeEnd) Close() error {
	e.in.close()
	e.out.close()
	return nil
}

// SetReadDeadline makes ReadFrame return os.ErrDeadlineExceeded when no
// frame arrives before t; the zero time waits for ever.
func (e *PipeEnd) SetReadDeadline(t time.Time) error {
	e.in.setDeadline(t)
	return nil
}

// Pending returns how many frames wait to be read at this end.
func (e *PipeEnd) Pending() int {
	q := e.in
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.n
}

// Dropped returns how many frames written at this end were dropped because
// the other end had not read enough of them.
func (e *PipeEnd) Dropped() uint64 {
	q := e.out
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.dropped
}

type queue struct {
	mu       sync.Mutex
	ready    chan struct{} // holds a token while frames wait or the queue is closed
	slots    [pipeSlots][]byte
	lens     [pipeSlots]int
	head, n  int
	closed   bool
	dropped  uint64
	deadline time.Time
	timer    *time.Timer
}

func newQueue() *queue {
	q := &queue{ready: make(chan struct{}, 1)}
	for i := range q.slots {
		q.slots[i] = make([]byte, MaxFrame)
	}
	return q
}

// signal leaves a token in ready (the caller holds mu).
func (q *queue) signal() {
	select {
	case q.ready <- struct{}{}:
	default:
	}
}

func (q *queue) put(frame []byte) error {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.closed {
		return ErrClosed
	}
	if q.n == pipeSlots {
		q.dropped++
		return nil
	}
	i := (q.head + q.n) % pipeSlots
	q.lens[i] = copy(q.slots[i], frame)
	q.n++
	q.signal()
	return nil
}

func (q *queue) get(buf []byte) (int, error) {
	for {
		q.mu.Lock()
		if q.n > 0 {
			n := copy(buf, q.slots[q.head][:q.lens[q.head]])
			q.head = (q.head + 1) % pipeSlots
			q.n--
			if q.n > 0 {
				q.signal()
			}
			q.mu.Unlock()
			return n, nil
		}
		if q.closed {
			q.signal()
			q.mu.Unlock()
			return 0, ErrClosed
		}
		deadline := q.deadline
		q.mu.Unlock()
		if !deadline.IsZero() && !time.Now().Before(deadline) {
			return 0, os.ErrDeadlineExceeded
		}
		// Wait for a token; a deadline's timer leaves one too.
		<-q.ready
	}
}

func (q *queue) close() {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.closed = true
	q.signal()
}

func (q *queue) setDeadline(t time.Time) {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.deadline = t
	if q.timer != nil {
		q.timer.Stop()
	}
	if t.IsZero() {
		return
	}
	d := time.Until(t)
	if q.timer == nil {
		q.timer = time.AfterFunc(d, q.wake)
	} else {
		q.timer.Reset(d)
	}
}

func (q *queue) wake() {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.signal()
}
