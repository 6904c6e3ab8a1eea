package stack

import (
	"os"
	"sync"
	"sync/atomic"
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
// and play the network on the other. Each end may be read by one goroutine
// and written by one goroutine at a time (the stack's loop, say, and a
// test); Close may come from any.
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
	return int(e.in.tail.Load() - e.in.head.Load())
}

// Dropped returns how many frames written at this end were dropped because
// the other end had not read enough of them.
func (e *PipeEnd) Dropped() uint64 {
	return e.out.dropped.Load()
}

// queue is one direction of a pipe: a ring of frames with one writer and
// one reader at a time, which pass frames without a lock. A reader that
// finds it empty sleeps on ready; a writer wakes it only when it sleeps.
type queue struct {
	slots    [pipeSlots][]byte
	lens     [pipeSlots]int
	head     atomic.Uint64 // the next frame to read; the reader's
	tail     atomic.Uint64 // the next slot to write; the writer's
	sleeping atomic.Bool
	closed   atomic.Bool
	dropped  atomic.Uint64
	ready    chan struct{} // a token wakes the reader

	mu       sync.Mutex // guards deadline and timer
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

// wake leaves a token for the reader.
func (q *queue) wake() {
	select {
	case q.ready <- struct{}{}:
	default:
	}
}

func (q *queue) put(frame []byte) error {
	if q.closed.Load() {
		return ErrClosed
	}
	t := q.tail.Load()
	if t-q.head.Load() == pipeSlots {
		q.dropped.Add(1)
		return nil
	}
	i := t % pipeSlots
	q.lens[i] = copy(q.slots[i], frame)
	q.tail.Store(t + 1)
	// Either the reader sees the new tail before it sleeps, or this
	// sees it sleeping (both are sequentially consistent).
	if q.sleeping.Load() {
		q.wake()
	}
	return nil
}

func (q *queue) get(buf []byte) (int, error) {
	for {
		h := q.head.Load()
		if q.tail.Load() != h {
			i := h % pipeSlots
			n := copy(buf, q.slots[i][:q.lens[i]])
			q.head.Store(h + 1)
			return n, nil
		}
		if q.closed.Load() {
			return 0, ErrClosed
		}
		q.mu.Lock()
		deadline := q.deadline
		q.mu.Unlock()
		if !deadline.IsZero() && !time.Now().Before(deadline) {
			return 0, os.ErrDeadlineExceeded
		}
		q.sleeping.Store(true)
		if q.tail.Load() == h && !q.closed.Load() {
			// A deadline's timer and Close leave a token too.
			<-q.ready
		}
		q.sleeping.Store(false)
	}
}

func (q *queue) close() {
	q.closed.Store(true)
	q.wake()
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
