package main

import (
	"fmt"
	"os"
	"runtime"
	"sync"
	"time"
)

func main() {
	fmt.Println("GOMAXPROCS", runtime.GOMAXPROCS(0) > 0)
	ch := make(chan int)
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func(n int) { defer wg.Done(); ch <- n * n }(i)
	}
	go func() { wg.Wait(); close(ch) }()
	sum := 0
	for v := range ch {
		sum += v
	}
	fmt.Println("sum of squares", sum)
	start := time.Now()
	time.Sleep(20 * time.Millisecond)
	fmt.Println("slept at least 20ms:", time.Since(start) >= 20*time.Millisecond)
	timer := time.NewTimer(10 * time.Millisecond)
	<-timer.C
	fmt.Println("timer fired")
	if err := os.WriteFile("/tmp/go.txt", []byte("written by go\n"), 0644); err != nil {
		fmt.Println("write error", err)
	}
	data, err := os.ReadFile("/tmp/go.txt")
	fmt.Printf("read back %q %v\n", data, err)
	func() {
		defer func() { fmt.Println("recovered:", recover()) }()
		var m map[string]int
		m["x"] = 1
	}()
	func() {
		// A nil pointer store faults; the runtime's SIGSEGV handler turns it into a panic.
		defer func() { fmt.Println("recovered:", recover()) }()
		var p *struct{ x int }
		p.x = 1
	}()
}
