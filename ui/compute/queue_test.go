package compute

import (
	"context"
	"slices"
	"testing"
)

// The queue serves in arrival order, one at a time, including requests
// pushed while one is served, and Push never blocks.
func TestQueueOrder(t *testing.T) {
	q := NewQueue[int]()
	for i := range 5 {
		q.Push(i)
	}
	ctx, cancel := context.WithCancel(context.Background())
	var got []int
	busy := false
	done := make(chan struct{})
	go func() {
		defer close(done)
		q.Serve(ctx, func(x int) {
			if busy {
				t.Error("two requests served at once")
			}
			busy = true
			got = append(got, x)
			if x == 2 { // pushed while serving: after those queued
				q.Push(10)
				q.Push(11)
			}
			if x == 11 {
				cancel()
			}
			busy = false
		})
	}()
	<-done
	if want := []int{0, 1, 2, 3, 4, 10, 11}; !slices.Equal(got, want) {
		t.Errorf("served %v, want %v", got, want)
	}
}

// Serve returns when its context ends, even with nothing queued.
func TestQueueStops(t *testing.T) {
	q := NewQueue[string]()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		q.Serve(ctx, func(string) {})
		close(done)
	}()
	cancel()
	<-done
}
